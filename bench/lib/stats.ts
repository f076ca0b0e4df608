/** Latency summary of a set of samples in milliseconds (nearest-rank percentiles). */
export type LatencySummary = { count: number; p50: number; p95: number; p99: number; mean: number; max: number };

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.length ? total / sorted.length : Number.NaN),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** a / b rounded to two decimals; NaN when either side is missing. */
export const ratio = (a: number, b: number): number =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? Math.round((a / b) * 100) / 100 : Number.NaN;

/** Fisher-Yates inside a sliding window: copies of one intent stay close in time but interleave with others. */
export function localShuffle<T>(items: T[], window: number, random: () => number = Math.random): T[] {
  const out = [...items];
  for (let i = 0; i < out.length; i++) {
    const j = i + Math.floor(random() * Math.min(window, out.length - i));
    const a = out[i];
    const b = out[j];
    if (a === undefined || b === undefined) continue;
    out[i] = b;
    out[j] = a;
  }
  return out;
}
