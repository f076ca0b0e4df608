import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

/**
 * The one domain error of the app. Services throw it with a reason; the table below is the only place
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

export type DomainErrorOptions = {
  /** Sent as Retry-After (rounded up to whole seconds) and as data.retryAfterMs; ignored for non-retryable reasons. */
  retryAfterMs?: number;
  /** Extra machine-readable fields for data (e.g. orderId of a suspected duplicate). */
  details?: Record<string, string | number | boolean>;
  cause?: unknown;
};

export class DomainError extends Error {
  readonly reason: Reason;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, string | number | boolean>;

  constructor(reason: Reason, message: string, options: DomainErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "DomainError";
    this.reason = reason;
    // Only a refusal the client may retry tells it when: a non-retryable one never carries Retry-After.
    this.retryAfterMs = reasons[reason].retryable ? options.retryAfterMs : undefined;
    this.details = options.details ?? {};
  }

  get status(): number {
    return reasons[this.reason].status;
  }

  get retryable(): boolean {
    return reasons[this.reason].retryable;
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** Retry-After header value: whole seconds, at least 1. */
export const retryAfterSeconds = (ms: number): string => String(Math.max(1, Math.ceil(ms / 1000)));
