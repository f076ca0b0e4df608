export type Backoff = { baseMs: number; capMs: number };

export const defaultBackoff: Backoff = { baseMs: 1_000, capMs: 60_000 };

/**
 * Delay before the next delivery after `attempts` failed ones: exponential, capped, with "equal jitter"
 * (half fixed, half random) so retries of many jobs that failed together spread out but still grow.
 */
export function backoffMs(attempts: number, backoff: Backoff = defaultBackoff, random: () => number = Math.random) {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
