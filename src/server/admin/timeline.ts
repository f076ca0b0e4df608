import { z } from "zod";
import type { RequestOutcome } from "@/generated/sqlite/enums";
import type { Db } from "@/server/db";
import { countByBucket } from "./buckets";
import { type StatsWindow, sinceOf, windowSchema } from "./window";

export const timelineInput = z.strictObject({ window: windowSchema.default("1h") }).default({ window: "1h" });

type TimelinePoint = { t: number; counts: Partial<Record<RequestOutcome, number>> };
export type Timeline = { bucketSeconds: number; points: TimelinePoint[] };

/** Per minute where that stays readable; long windows use wider buckets so a chart never gets over ~300 bars. */
const MAX_POINTS = 300;
const NICE_BUCKETS = [60, 120, 300, 600, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400];

const bucketFor = (spanSeconds: number): number =>
  NICE_BUCKETS.find((b) => spanSeconds / b <= MAX_POINTS) ?? Math.ceil(spanSeconds / MAX_POINTS);

/** Outcomes over time, stacked per bucket; empty buckets are filled in (a handful of numbers, not events). */
export async function outcomesOverTime(db: Db, window: StatsWindow, now: number = Date.now()): Promise<Timeline> {
  let since = sinceOf(window, now);
  if (window === "all") {
    const first = await db.requestEvent.findFirst({ orderBy: { createdAt: "asc" }, select: { createdAt: true } });
    since = first?.createdAt ?? new Date(now);
  }
  const bucketSeconds = bucketFor(Math.max(60, (now - since.getTime()) / 1000));
  const rows = await countByBucket(db, since, bucketSeconds);
  const byBucket = new Map<number, TimelinePoint>();
  const firstBucket = Math.floor(since.getTime() / 1000 / bucketSeconds);
  const lastBucket = Math.floor(now / 1000 / bucketSeconds);
  for (let b = firstBucket; b <= lastBucket; b++) byBucket.set(b, { t: b * bucketSeconds * 1000, counts: {} });
  for (const row of rows) {
    const point = byBucket.get(row.bucket) ?? { t: row.bucket * bucketSeconds * 1000, counts: {} };
    point.counts[row.outcome] = (point.counts[row.outcome] ?? 0) + row.count;
    byBucket.set(row.bucket, point);
  }
  return { bucketSeconds, points: [...byBucket.values()].sort((a, b) => a.t - b.t) };
}
