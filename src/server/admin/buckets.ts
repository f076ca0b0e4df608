import type { RequestOutcome } from "@/generated/sqlite/enums";
import type { Db } from "@/server/db";
import { dialectOf } from "@/server/db";
import { num } from "./sql";

export type BucketRow = { bucket: number; outcome: RequestOutcome; count: number };

/**
 * Events per (time bucket, outcome) since `since`, counted in the database. A bucket is the index
 * floor(epoch seconds / bucketSeconds); the only per-dialect SQL of the dashboard (SQLite stores
 * DateTime as ISO text, PostgreSQL as timestamp).
 */
export async function countByBucket(db: Db, since: Date, bucketSeconds: number): Promise<BucketRow[]> {
  const size = Math.max(1, Math.round(bucketSeconds));
  const rows =
    (await dialectOf(db)) === "postgresql"
      ? await db.$queryRaw<{ bucket: unknown; outcome: RequestOutcome; n: unknown }[]>`
          SELECT CAST(FLOOR(EXTRACT(EPOCH FROM "createdAt") / ${size}::int) AS INTEGER) AS bucket, CAST("outcome" AS TEXT) AS outcome, COUNT(*) AS n
          FROM "RequestEvent" WHERE "createdAt" >= ${since}
          GROUP BY 1, 2`
      : await db.$queryRaw<{ bucket: unknown; outcome: RequestOutcome; n: unknown }[]>`
          SELECT CAST(CAST(strftime('%s', "createdAt") AS INTEGER) / ${size} AS INTEGER) AS bucket, "outcome" AS outcome, COUNT(*) AS n
          FROM "RequestEvent" WHERE "createdAt" >= ${since}
          GROUP BY 1, 2`;
  return rows.map((r) => ({ bucket: num(r.bucket), outcome: r.outcome, count: num(r.n) }));
}

/** The busiest minute of in-flight conflicts since `since` (0 when there were none). */
export async function peakConflictsPerMinute(db: Db, since: Date): Promise<number> {
  const rows =
    (await dialectOf(db)) === "postgresql"
      ? await db.$queryRaw<{ n: unknown }[]>`
          SELECT COUNT(*) AS n FROM "RequestEvent"
          WHERE "outcome" = 'IN_FLIGHT_CONFLICT' AND "createdAt" >= ${since}
          GROUP BY FLOOR(EXTRACT(EPOCH FROM "createdAt") / 60) ORDER BY n DESC LIMIT 1`
      : await db.$queryRaw<{ n: unknown }[]>`
          SELECT COUNT(*) AS n FROM "RequestEvent"
          WHERE "outcome" = 'IN_FLIGHT_CONFLICT' AND "createdAt" >= ${since}
          GROUP BY CAST(strftime('%s', "createdAt") AS INTEGER) / 60 ORDER BY n DESC LIMIT 1`;
  return num(rows[0]?.n);
}
