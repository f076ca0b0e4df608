/**
 * Safe retries of a keyed request (docs/protocol.md section 2, layer 3). Only failures after which the same key may be sent
 * again are retried: the network (or a proxy's 502, which is how a crashed server looks from here), 409
 * REQUEST_IN_PROGRESS, 503 and 504. Every 4xx refusal is final. Backoff is exponential with full jitter,
 * and a larger Retry-After wins. Random and sleep are injected so tests run without real time.
 */
import { type Backoff, backoffMs as jitteredBackoffMs } from "@/shared/backoff";
import { REASON } from "@/shared/reasons";

const RETRY_POLICY = { baseMs: 250, capMs: 5_000, maxAttempts: 5 } as const;
const retryBackoff: Backoff = { baseMs: RETRY_POLICY.baseMs, capMs: RETRY_POLICY.capMs, jitter: "full" };

/** What a failed attempt looked like from the browser. */
export type Failure =
  | { kind: "network" }
  | { kind: "http"; status: number; reason: string | null; retryAfterSeconds: number | null };

/** Statuses worth the same key again: the answer was lost, or the server asked us to come back. */
const retryableStatuses: ReadonlySet<number> = new Set([502, 503, 504]);

export function isRetryable(failure: Failure): boolean {
  if (failure.kind === "network") return true;
  if (failure.status === 409) return failure.reason === REASON.REQUEST_IN_PROGRESS;
  return retryableStatuses.has(failure.status);
}

/** The request may have reached the server and its answer got lost on the way back. */
export const isLostAnswer = (failure: Failure): boolean =>
  failure.kind === "network" || failure.status === 502 || failure.status === 504;

/**
 * Wait before the attempt after `failedAttempt` (1-based): full jitter, random() * min(cap, base * 2^(n-1)),
 * unless the server's Retry-After asks for longer.
 */
export function backoffMs(
  failedAttempt: number,
  random: () => number,
  retryAfterSeconds: number | null = null,
): number {
  const jitter = jitteredBackoffMs(failedAttempt, retryBackoff, random);
  const asked = retryAfterSeconds === null ? 0 : retryAfterSeconds * 1000;
  return Math.max(jitter, asked);
}

/** Retry-After as delta seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

export type RetryNotice = {
  failedAttempt: number;
  nextAttempt: number;
  maxAttempts: number;
  failure: Failure;
  waitMs: number;
};

export type RetryOptions = {
  /** Turns whatever the attempt threw into a Failure. */
  classify: (error: unknown) => Failure;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Called before waiting for the next attempt (UI message, client report). */
  onRetry?: (notice: RetryNotice) => void;
  maxAttempts?: number;
};

/** Every attempt failed with a retryable failure: the outcome is unknown, the key must be kept. */
export class RetriesExhausted extends Error {
  constructor(
    readonly attempts: number,
    readonly failure: Failure,
    options: { cause: unknown },
  ) {
    super(`no answer after ${attempts} attempts`, options);
    this.name = "RetriesExhausted";
  }
}

/**
 * Runs send(attempt) until it succeeds, fails finally (rethrown as is), or runs out of attempts
 * (RetriesExhausted). send receives the attempt number to put in X-Retry-Attempt.
 */
export async function withRetries<T>(send: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? RETRY_POLICY.maxAttempts;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(attempt);
    } catch (error) {
      const failure = options.classify(error);
      if (!isRetryable(failure)) throw error;
      if (attempt >= maxAttempts) throw new RetriesExhausted(attempt, failure, { cause: error });
      const waitMs = backoffMs(attempt, options.random, failure.kind === "http" ? failure.retryAfterSeconds : null);
      options.onRetry?.({ failedAttempt: attempt, nextAttempt: attempt + 1, maxAttempts, failure, waitMs });
      await options.sleep(waitMs);
    }
  }
}
