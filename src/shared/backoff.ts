/**
 * Exponential backoff, the one implementation behind the browser's retries, the bench's retrying client and
 * the job queue's redeliveries. Pure: no imports, so browser and server code can both use it.
 */

/**
 * full: anywhere in [0, ceiling), which spreads clients racing for the same answer the most;
 * equal: half fixed, half random, so redeliveries of jobs that failed together spread out but still grow.
 */
type Jitter = "full" | "equal";

export type Backoff = { baseMs: number; capMs: number; jitter: Jitter };

/** Wait after `failedAttempt` (1-based) failed attempts: the ceiling min(cap, base * 2^(n-1)), jittered. */
export function backoffMs(failedAttempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, failedAttempt - 1));
  return backoff.jitter === "full"
    ? Math.floor(random() * ceiling)
    : Math.round(ceiling / 2 + random() * (ceiling / 2));
}
