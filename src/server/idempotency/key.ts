import { parseItem } from "structured-headers";
import { z } from "zod";
import { DomainError } from "@/server/errors";

const MAX_KEY_LENGTH = 255;
const uuid = z.uuid();

/**
 * The Idempotency-Key header in either form: bare (`6f1c…`) or, as the IETF draft defines it, a
 * Structured Field string (`"6f1c…"`, RFC 8941: escapes, nothing after the closing quote, no parameters).
 * Both forms mean the same key; a quoted value that is not a valid sf-string is refused.
 */
export function parseKeyHeader(raw: string | null): string | null {
  if (raw === null) return null;
  const value = raw.trim();
  if (!value.startsWith('"')) return value;
  let item: ReturnType<typeof parseItem>;
  try {
    item = parseItem(value);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new DomainError(
      "KEY_INVALID",
      `the Idempotency-Key header is not a valid structured-field string: ${detail}`,
    );
  }
  const [bare, params] = item;
  if (typeof bare !== "string" || params.size > 0) {
    throw new DomainError("KEY_INVALID", "the Idempotency-Key header must be one string, without parameters");
  }
  return bare;
}

/**
 * The key comes from the input field or, for plain HTTP clients, the Idempotency-Key header.
 * Both present and different is ambiguous, so it is refused rather than guessed.
 */
export function resolveKey(fromInput: unknown, fromHeader: string | null): string {
  if (fromInput !== undefined && fromInput !== null && typeof fromInput !== "string") {
    throw new DomainError("KEY_INVALID", "idempotencyKey must be a string (a UUID)");
  }
  const input = fromInput ?? undefined;
  const header = parseKeyHeader(fromHeader) ?? undefined;
  if (input !== undefined && header !== undefined && input !== header) {
    throw new DomainError("KEY_SOURCES_DIFFER", "idempotencyKey and the Idempotency-Key header differ");
  }
  const key = input ?? header;
  if (key === undefined || key === "") {
    throw new DomainError(
      "KEY_MISSING",
      "an idempotency key is required (input idempotencyKey or header Idempotency-Key)",
    );
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw new DomainError("KEY_INVALID", `the idempotency key is longer than ${MAX_KEY_LENGTH} characters`);
  }
  if (!uuid.safeParse(key).success) {
    throw new DomainError("KEY_INVALID", "the idempotency key must be a UUID (crypto.randomUUID())");
  }
  return key.toLowerCase();
}
