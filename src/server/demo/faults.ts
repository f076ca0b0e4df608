import { z } from "zod";
import { AttemptDied } from "@/server/lib/attempt-died";
import { FAULT_NAMES, HEADERS, MAX_FAULT_DELAY_MS } from "@/shared/names";

/** Demo fault injection, one per request in the X-Fault header (honoured only with DEMO_FAULTS=on). */
export const FAULT_HEADER = HEADERS.fault;
export { MAX_FAULT_DELAY_MS };

export type Fault =
  | { kind: "lose-response" }
  | { kind: "delay"; ms: number }
  | { kind: "provider-timeout-after-charge" }
  | { kind: "crash-after-charge" }
  | { kind: "db-busy" };

const faultNames = FAULT_NAMES;

const delay = z.coerce.number().int().min(0).max(MAX_FAULT_DELAY_MS);

/** Parses the header; returns an error message for a malformed one so the caller can answer 400. */
export function parseFault(header: string | null): { fault: Fault | null } | { error: string } {
  if (header === null || header.trim() === "") return { fault: null };
  const value = header.trim().toLowerCase();
  if (value.startsWith("delay:")) {
    const ms = delay.safeParse(value.slice("delay:".length));
    return ms.success
      ? { fault: { kind: "delay", ms: ms.data } }
      : { error: `X-Fault delay must be 0..${MAX_FAULT_DELAY_MS} ms` };
  }
  switch (value) {
    case "lose-response":
    case "provider-timeout-after-charge":
    case "crash-after-charge":
    case "db-busy":
      return { fault: { kind: value } };
    default:
      return { error: `unknown X-Fault "${header}"; expected one of ${faultNames.join(", ")} (delay:<ms>)` };
  }
}

/** Thrown where the demo "kills" an attempt: nothing after this point runs, the lease stays held. */
export class SimulatedCrash extends AttemptDied {
  constructor(where: string) {
    super(`simulated crash ${where}`);
    this.name = "SimulatedCrash";
  }
}
