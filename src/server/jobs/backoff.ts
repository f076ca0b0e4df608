import { backoffMs as jitteredBackoffMs } from "@/shared/backoff";

/** A job queue's redelivery schedule; its jitter is always "equal" (see src/shared/backoff.ts). */
export type Backoff = { baseMs: number; capMs: number };

export const defaultBackoff: Backoff = { baseMs: 1_000, capMs: 60_000 };

/**
 * Delay before the next delivery after `attempts` failed ones: exponential, capped, with equal jitter so
 * retries of many jobs that failed together spread out but still grow.
 */
export function backoffMs(attempts: number, backoff: Backoff = defaultBackoff, random: () => number = Math.random) {
  return jitteredBackoffMs(attempts, { ...backoff, jitter: "equal" }, random);
}
