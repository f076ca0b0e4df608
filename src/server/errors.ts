import { type Reason, reasons } from "@/shared/reasons";

export { type Reason, reasons };

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
