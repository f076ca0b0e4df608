import { z } from "zod";
import type { Db } from "@/server/db";
import { type StatsWindow, sinceOf, windowSchema } from "./window";

export const latencyInput = z.strictObject({ window: windowSchema.default("1h") }).default({ window: "1h" });

const OUTCOMES = ["EXECUTED", "REPLAYED"] as const;
const PERCENTILES = [
  ["p50", 0.5],
  ["p95", 0.95],
  ["p99", 0.99],
] as const;

export type LatencySeries = {
  outcome: (typeof OUTCOMES)[number];
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  maxMs: number | null;
};

/**
 * Nearest-rank percentiles of latencyMs, executed vs replayed. SQLite has no percentile_cont, so each
 * percentile is one row read at its rank (ORDER BY latencyMs LIMIT 1 OFFSET k) on an index of
 * (outcome, latencyMs): no rows are loaded into JavaScript.
 */
export async function latencyPercentiles(
  db: Db,
  window: StatsWindow,
  now: number = Date.now(),
): Promise<LatencySeries[]> {
  const since = sinceOf(window, now);
  const totals = await db.requestEvent.groupBy({
    by: ["outcome"],
    where: { outcome: { in: [...OUTCOMES] }, createdAt: { gte: since } },
    _count: { _all: true },
    _max: { latencyMs: true },
  });
  return Promise.all(
    OUTCOMES.map(async (outcome): Promise<LatencySeries> => {
      const total = totals.find((t) => t.outcome === outcome);
      const count = total?._count._all ?? 0;
      const at = async (p: number): Promise<number | null> => {
        if (count === 0) return null;
        const row = await db.requestEvent.findFirst({
          where: { outcome, createdAt: { gte: since } },
          orderBy: { latencyMs: "asc" },
          skip: Math.max(0, Math.ceil(p * count) - 1),
          select: { latencyMs: true },
        });
        return row?.latencyMs ?? null;
      };
      const [p50, p95, p99] = await Promise.all(PERCENTILES.map(([, p]) => at(p)));
      return {
        outcome,
        count,
        p50: p50 ?? null,
        p95: p95 ?? null,
        p99: p99 ?? null,
        maxMs: total?._max.latencyMs ?? null,
      };
    }),
  );
}
