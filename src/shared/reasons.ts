import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

/**
 * The reasons of the app's one domain error (`DomainError` in src/server/errors.ts). The table below is the only place
 * that decides what a reason means on the wire (tRPC code, HTTP status, whether clients may retry).
 */
export const reasons = {
  KEY_MISSING: { code: "BAD_REQUEST", status: 400, retryable: false },
  KEY_INVALID: { code: "BAD_REQUEST", status: 400, retryable: false },
  KEY_SOURCES_DIFFER: { code: "BAD_REQUEST", status: 400, retryable: false },
  /** A keyed mutation inside a tRPC batch: one HTTP response cannot carry a status and replay flag per call. */
  KEYED_CALL_IN_BATCH: { code: "BAD_REQUEST", status: 400, retryable: false },
  INVALID_INPUT: { code: "BAD_REQUEST", status: 400, retryable: false },
  UNAUTHENTICATED: { code: "UNAUTHORIZED", status: 401, retryable: false },
  FORBIDDEN: { code: "FORBIDDEN", status: 403, retryable: false },
  NOT_FOUND: { code: "NOT_FOUND", status: 404, retryable: false },
  METHOD_NOT_SUPPORTED: { code: "METHOD_NOT_SUPPORTED", status: 405, retryable: false },
  UNKNOWN_PRODUCT: { code: "NOT_FOUND", status: 404, retryable: false },
  PAYLOAD_TOO_LARGE: { code: "PAYLOAD_TOO_LARGE", status: 413, retryable: false },
  KEY_REUSED_WITH_DIFFERENT_REQUEST: { code: "UNPROCESSABLE_CONTENT", status: 422, retryable: false },
  REQUEST_IN_PROGRESS: { code: "CONFLICT", status: 409, retryable: true },
  DUPLICATE_INTENT_SUSPECTED: { code: "CONFLICT", status: 409, retryable: false },
  INSUFFICIENT_STOCK: { code: "CONFLICT", status: 409, retryable: false },
  RATE_LIMITED: { code: "TOO_MANY_REQUESTS", status: 429, retryable: true },
  TRANSIENT_FAILURE: { code: "SERVICE_UNAVAILABLE", status: 503, retryable: true },
  SIMULATED_CRASH: { code: "BAD_GATEWAY", status: 502, retryable: true },
  RESPONSE_LOST: { code: "GATEWAY_TIMEOUT", status: 504, retryable: true },
  /** Final answer of a record whose resumption kept failing (poison): stored and replayed, never retried. */
  RECOVERY_ABANDONED: { code: "INTERNAL_SERVER_ERROR", status: 500, retryable: false },
  INTERNAL: { code: "INTERNAL_SERVER_ERROR", status: 500, retryable: false },
} as const satisfies Record<string, { code: TRPC_ERROR_CODE_KEY; status: number; retryable: boolean }>;

export type Reason = keyof typeof reasons;

/** The reason names as values, for comparing a failure's `data.reason` without spelling it out. */
export const REASON = Object.fromEntries(Object.keys(reasons).map((r) => [r, r])) as { readonly [R in Reason]: R };
