import { z } from "zod";
import type { Db } from "@/server/db";
import { num } from "./sql";
import { type StatsWindow, sinceOf, windowSchema } from "./window";

export const retriesInput = z.strictObject({ window: windowSchema.default("1h") }).default({ window: "1h" });

/** Requests per intent at or above this are shown together as "10+". */
const RETRIES_CAP = 10;
export type RetriesHistogram = { buckets: { attempts: number; label: string; intents: number }[] };

/**
 * How many server requests each intent (distinct user, key) took: 1 means no retry. Counted in the
 * database: an inner GROUP BY per intent, an outer one per attempt count. (Grouped by an expression so
 * SQLite reads the window from the covering createdAt index rather than the whole (userId, key) index.)
 */
export async function retriesPerIntent(
  db: Db,
  window: StatsWindow,
  now: number = Date.now(),
): Promise<RetriesHistogram> {
  const since = sinceOf(window, now);
  const rows = await db.$queryRaw<{ attempts: unknown; intents: unknown }[]>`
    SELECT per."attempts" AS attempts, COUNT(*) AS intents FROM (
      SELECT COUNT(*) AS "attempts" FROM "RequestEvent"
      WHERE "createdAt" >= ${since} AND "key" IS NOT NULL AND "userId" IS NOT NULL
        AND "outcome" NOT IN ('CLIENT_DEDUPED', 'CLIENT_RETRY', 'KEY_MISSING', 'KEY_INVALID')
      GROUP BY "userId" || ':' || "key") per
    GROUP BY per."attempts"`;
  const counts = new Map<number, number>();
  for (const row of rows) {
    const attempts = Math.min(RETRIES_CAP, num(row.attempts));
    counts.set(attempts, (counts.get(attempts) ?? 0) + num(row.intents));
  }
  const top = Math.max(1, ...counts.keys());
  return {
    buckets: Array.from({ length: top }, (_, i) => i + 1).map((attempts) => ({
      attempts,
      label: attempts === RETRIES_CAP ? `${RETRIES_CAP}+` : String(attempts),
      intents: counts.get(attempts) ?? 0,
    })),
  };
}
