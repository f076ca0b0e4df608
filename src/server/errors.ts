import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

/**
 * The one domain error of the app. Services throw it with a reason; the table below is the only place
 * that decides what a reason means on the wire (tRPC code, HTTP status, whether clients may retry).
 */
export const reasons = {
  KEY_MISSING: { code: "BAD_REQUEST", status: 400 },
  KEY_INVALID: { code: "BAD_REQUEST", status: 400 },
  KEY_SOURCES_DIFFER: { code: "BAD_REQUEST", status: 400 },
  INVALID_INPUT: { code: "BAD_REQUEST", status: 400 },
  UNAUTHENTICATED: { code: "UNAUTHORIZED", status: 401 },
  FORBIDDEN: { code: "FORBIDDEN", status: 403 },
  NOT_FOUND: { code: "NOT_FOUND", status: 404 },
  UNKNOWN_PRODUCT: { code: "NOT_FOUND", status: 404 },
  PAYLOAD_TOO_LARGE: { code: "PAYLOAD_TOO_LARGE", status: 413 },
  KEY_REUSED_WITH_DIFFERENT_REQUEST: { code: "UNPROCESSABLE_CONTENT", status: 422 },
  REQUEST_IN_PROGRESS: { code: "CONFLICT", status: 409 },
  DUPLICATE_INTENT_SUSPECTED: { code: "CONFLICT", status: 409 },
  INSUFFICIENT_STOCK: { code: "CONFLICT", status: 409 },
  TRANSIENT_FAILURE: { code: "SERVICE_UNAVAILABLE", status: 503 },
  SIMULATED_CRASH: { code: "BAD_GATEWAY", status: 502 },
  RESPONSE_LOST: { code: "GATEWAY_TIMEOUT", status: 504 },
  INTERNAL: { code: "INTERNAL_SERVER_ERROR", status: 500 },
} as const satisfies Record<string, { code: TRPC_ERROR_CODE_KEY; status: number }>;

export type Reason = keyof typeof reasons;

export type DomainErrorOptions = {
  /** Sent as Retry-After (rounded up to whole seconds) and as data.retryAfterMs. */
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
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }

  get status(): number {
    return reasons[this.reason].status;
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** Retry-After header value: whole seconds, at least 1. */
export const retryAfterSeconds = (ms: number): string => String(Math.max(1, Math.ceil(ms / 1000)));
