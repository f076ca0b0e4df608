import { z } from "zod";
import type { RequestOutcome } from "@/generated/sqlite/enums";
import type { Db } from "@/server/db";
import { ABANDONED } from "@/server/idempotency/types";
import { peakConflictsPerMinute } from "./buckets";
import { num } from "./sql";
import { type Alert, alertsFor, resolveThresholds, type Thresholds, thresholdsInput } from "./thresholds";
import { CLIENT_OUTCOMES, type StatsWindow, sinceOf, UNKEYED_OUTCOMES, windowSchema } from "./window";

export const statsInput = z
  .strictObject({ window: windowSchema.default("1h"), thresholds: thresholdsInput })
  .default({ window: "1h" });

/** Outcomes that mean "the same intent arrived again": what the defences absorbed. */
const DUPLICATE_OUTCOMES: RequestOutcome[] = ["REPLAYED", "IN_FLIGHT_CONFLICT", "DUPLICATE_SUSPECTED"];
const NOT_KEYED: readonly RequestOutcome[] = [...CLIENT_OUTCOMES, ...UNKEYED_OUTCOMES];

export type Stats = {
  window: StatsWindow;
  since: string | null;
  generatedAt: string;
  outcomes: Partial<Record<RequestOutcome, number>>;
  /** Requests that reached a keyed procedure (client-side reports and unsafe unkeyed calls excluded). */
  keyedRequests: number;
  /** Calls of the unsafe demo procedure (no key, no protection). */
  unsafeCalls: number;
  /** Distinct (user, key) among those requests. */
  distinctIntents: number;
  executed: number;
  replayed: number;
  inFlightConflicts: number;
  fingerprintMismatches: number;
  missingOrInvalidKeys: number;
  /** Crashed attempts whose expired lease was taken over and their work resumed. */
  leaseTakeovers: number;
  /** Attempts that failed transiently (lease given back) resumed by a retry or the recovery worker. */
  transientResumes: number;
  suspectedDuplicates: number;
  clientDeduped: number;
  clientRetries: number;
  /** (replayed + in-flight conflicts + suspected duplicates) / keyed requests. */
  duplicateRate: number;
  /** What the absorbed duplicates would have charged had they executed again. */
  moneyProtectedCents: number;
  peakConflictsPerMinute: number;
  orders: { total: number; paid: number; failed: number; pending: number; cancelled: number };
  /** Poison records abandoned in the window (final RECOVERY_ABANDONED answers; their orders are cancelled). */
  abandonedRecords: number;
  providerCharges: number;
  thresholds: Thresholds;
  alerts: Alert[];
};

/** Aggregated in the database (group by), never by loading events into JavaScript. */
export async function stats(db: Db, input: z.infer<typeof statsInput>, now: number = Date.now()): Promise<Stats> {
  const since = sinceOf(input.window, now);
  const where = { createdAt: { gte: since } };
  const [byOutcome, protectedMoney, intents, peak, ordersByStatus, providerCharges, abandonedRecords] =
    await Promise.all([
      db.requestEvent.groupBy({ by: ["outcome"], where, _count: { _all: true } }),
      // Separate from the counts so each is answered from its own covering index (see RequestEvent's indexes).
      db.requestEvent.aggregate({
        where: { ...where, outcome: { in: DUPLICATE_OUTCOMES } },
        _sum: { amountCents: true },
      }),
      // Distinct over an expression, not the columns: otherwise SQLite walks the (userId, key) index over the
      // whole table for its order, instead of the window's slice of the covering (createdAt, ...) index.
      db.$queryRaw<{ n: unknown }[]>`SELECT COUNT(DISTINCT "userId" || ':' || "key") AS n FROM "RequestEvent"
        WHERE "createdAt" >= ${since} AND "key" IS NOT NULL AND "userId" IS NOT NULL
          AND "outcome" NOT IN ('CLIENT_DEDUPED', 'CLIENT_RETRY', 'KEY_MISSING', 'KEY_INVALID')`,
      peakConflictsPerMinute(db, since),
      db.order.groupBy({ by: ["status"], where, _count: { _all: true } }),
      db.providerCharge.count({ where }),
      db.idempotencyRecord.count({ where: { recoveryPoint: ABANDONED, updatedAt: { gte: since } } }),
    ]);

  const outcomes: Partial<Record<RequestOutcome, number>> = {};
  let keyedRequests = 0;
  for (const row of byOutcome) {
    outcomes[row.outcome] = row._count._all;
    if (!(NOT_KEYED as readonly string[]).includes(row.outcome)) keyedRequests += row._count._all;
  }
  const count = (o: RequestOutcome) => outcomes[o] ?? 0;
  const duplicates = DUPLICATE_OUTCOMES.reduce((s, o) => s + count(o), 0);
  const duplicateRate = keyedRequests === 0 ? 0 : duplicates / keyedRequests;
  const orderCount = (status: string) => ordersByStatus.find((r) => r.status === status)?._count._all ?? 0;
  const thresholds = resolveThresholds(input.thresholds);

  return {
    window: input.window,
    since: input.window === "all" ? null : since.toISOString(),
    generatedAt: new Date(now).toISOString(),
    outcomes,
    keyedRequests,
    unsafeCalls: count("UNSAFE_EXECUTED"),
    distinctIntents: num(intents[0]?.n),
    executed: count("EXECUTED"),
    replayed: count("REPLAYED"),
    inFlightConflicts: count("IN_FLIGHT_CONFLICT"),
    fingerprintMismatches: count("FINGERPRINT_MISMATCH"),
    missingOrInvalidKeys: count("KEY_MISSING") + count("KEY_INVALID"),
    leaseTakeovers: count("RECOVERED"),
    transientResumes: count("RESUMED"),
    suspectedDuplicates: count("DUPLICATE_SUSPECTED"),
    clientDeduped: count("CLIENT_DEDUPED"),
    clientRetries: count("CLIENT_RETRY"),
    duplicateRate,
    moneyProtectedCents: protectedMoney._sum.amountCents ?? 0,
    peakConflictsPerMinute: peak,
    orders: {
      total: ordersByStatus.reduce((s, r) => s + r._count._all, 0),
      paid: orderCount("PAID"),
      failed: orderCount("PAYMENT_FAILED"),
      pending: orderCount("PENDING_PAYMENT"),
      cancelled: orderCount("CANCELLED"),
    },
    abandonedRecords,
    providerCharges,
    thresholds,
    alerts: alertsFor({ duplicateRate, peakConflictsPerMinute: peak }, thresholds),
  };
}

export const eventsInput = z
  .strictObject({
    limit: z.number().int().min(1).max(500).default(100),
    key: z.string().max(255).optional(),
    userId: z.string().max(64).optional(),
  })
  .default({ limit: 100 });

/** Newest first; with a key (and user) it is that intent's timeline. */
export const recentEvents = (db: Db, input: z.infer<typeof eventsInput>) =>
  db.requestEvent.findMany({
    where: { ...(input.key ? { key: input.key } : {}), ...(input.userId ? { userId: input.userId } : {}) },
    orderBy: { createdAt: "desc" },
    take: input.limit,
    select: {
      id: true,
      createdAt: true,
      userId: true,
      operation: true,
      key: true,
      recordId: true,
      outcome: true,
      httpStatus: true,
      reason: true,
      attempt: true,
      latencyMs: true,
      amountCents: true,
    },
  });
