import { z } from "zod";
import type { Db } from "@/server/db";
import { num, toDate } from "./sql";
import { sinceOf, windowSchema } from "./window";

export const intentsInput = z
  .strictObject({ window: windowSchema.default("1h"), limit: z.number().int().min(1).max(100).default(20) })
  .default({ window: "1h", limit: 20 });

export type IntentRow = {
  userId: string;
  userName: string | null;
  key: string;
  operation: string;
  /** Server requests with this key (client-side reports excluded). */
  attempts: number;
  clientRetries: number;
  clientDeduped: number;
  finalOutcome: string | null;
  firstAt: string;
  lastAt: string;
};

/** Only the newest events are scanned to pick the intents; each intent's figures then come from the (userId, key) index. */
const RECENT_EVENTS_SCANNED = 1000;

/** The most recently active intents with their attempt counts and final (latest server-side) outcome. */
export async function recentIntents(
  db: Db,
  input: z.infer<typeof intentsInput>,
  now: number = Date.now(),
): Promise<IntentRow[]> {
  const since = sinceOf(input.window, now);
  const rows = await db.$queryRaw<
    {
      userId: string;
      key: string;
      lastAt: unknown;
      userName: string | null;
      operation: string | null;
      attempts: unknown;
      clientRetries: unknown;
      clientDeduped: unknown;
      firstAt: unknown;
      finalOutcome: string | null;
    }[]
  >`
    WITH recent AS (
      SELECT r."userId" AS "userId", r."key" AS "key", MAX(r."createdAt") AS "lastAt" FROM (
        SELECT "userId", "key", "createdAt" FROM "RequestEvent"
        WHERE "createdAt" >= ${since} AND "key" IS NOT NULL AND "userId" IS NOT NULL
          AND "outcome" NOT IN ('KEY_MISSING', 'KEY_INVALID')
        ORDER BY "createdAt" DESC LIMIT ${RECENT_EVENTS_SCANNED}) r
      GROUP BY r."userId", r."key"
      ORDER BY MAX(r."createdAt") DESC LIMIT ${input.limit})
    SELECT recent."userId" AS "userId", recent."key" AS "key", recent."lastAt" AS "lastAt", u."name" AS "userName",
      (SELECT MIN(e."operation") FROM "RequestEvent" e WHERE e."userId" = recent."userId" AND e."key" = recent."key") AS "operation",
      (SELECT COUNT(*) FROM "RequestEvent" e WHERE e."userId" = recent."userId" AND e."key" = recent."key"
        AND e."outcome" NOT IN ('CLIENT_DEDUPED', 'CLIENT_RETRY')) AS "attempts",
      (SELECT COUNT(*) FROM "RequestEvent" e WHERE e."userId" = recent."userId" AND e."key" = recent."key"
        AND e."outcome" = 'CLIENT_RETRY') AS "clientRetries",
      (SELECT COUNT(*) FROM "RequestEvent" e WHERE e."userId" = recent."userId" AND e."key" = recent."key"
        AND e."outcome" = 'CLIENT_DEDUPED') AS "clientDeduped",
      (SELECT MIN(e."createdAt") FROM "RequestEvent" e WHERE e."userId" = recent."userId" AND e."key" = recent."key") AS "firstAt",
      (SELECT CAST(e."outcome" AS TEXT) FROM "RequestEvent" e WHERE e."userId" = recent."userId" AND e."key" = recent."key"
        AND e."outcome" NOT IN ('CLIENT_DEDUPED', 'CLIENT_RETRY') ORDER BY e."createdAt" DESC, e."id" DESC LIMIT 1) AS "finalOutcome"
    FROM recent LEFT JOIN "User" u ON u."id" = recent."userId"
    ORDER BY recent."lastAt" DESC`;
  return rows.map((r) => ({
    userId: r.userId,
    userName: r.userName,
    key: r.key,
    operation: r.operation ?? "?",
    attempts: num(r.attempts),
    clientRetries: num(r.clientRetries),
    clientDeduped: num(r.clientDeduped),
    finalOutcome: r.finalOutcome,
    firstAt: toDate(r.firstAt).toISOString(),
    lastAt: toDate(r.lastAt).toISOString(),
  }));
}
