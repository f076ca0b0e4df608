import { createHash } from "node:crypto";
import { canonicalJson } from "@/server/lib/canonical-json";

/** SHA-256 of the canonical JSON of {operation, input}: equal requests, equal fingerprints. */
export function fingerprint(operation: string, input: unknown): string {
  return createHash("sha256").update(canonicalJson({ operation, input })).digest("hex");
}
