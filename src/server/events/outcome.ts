import type { RequestOutcome } from "@/generated/sqlite/enums";
import type { Reason } from "@/server/errors";

/** The dashboard's view of a refused keyed request. */
export function outcomeForReason(reason: Reason): RequestOutcome {
  switch (reason) {
    case "KEY_MISSING":
      return "KEY_MISSING";
    case "KEY_INVALID":
    case "KEY_SOURCES_DIFFER":
      return "KEY_INVALID";
    case "KEY_REUSED_WITH_DIFFERENT_REQUEST":
      return "FINGERPRINT_MISMATCH";
    case "REQUEST_IN_PROGRESS":
      return "IN_FLIGHT_CONFLICT";
    case "DUPLICATE_INTENT_SUSPECTED":
      return "DUPLICATE_SUSPECTED";
    case "TRANSIENT_FAILURE":
      return "TRANSIENT_FAILURE";
    case "SIMULATED_CRASH":
    case "INTERNAL":
      return "FAILED";
    default:
      return "REJECTED";
  }
}
