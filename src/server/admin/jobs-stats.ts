import type { JobState } from "@/generated/sqlite/enums";
import type { Db } from "@/server/db";
import { MICROS_PER_TOKEN } from "@/server/jobs/external/model-client";

export type JobsStats = {
  generatedAt: string;
  /** Jobs per state, all types together and per type. */
  byState: Record<JobState, number>;
  byType: { type: string; state: JobState; count: number }[];
  /** Deliveries that found their effect already recorded and did nothing. */
  redeliveriesAbsorbed: number;
  /** Deliveries beyond the first (crashed, timed out, failed, redelivered). */
  extraDeliveries: number;
  emailsSent: number;
  modelCalls: number;
  tokensSpent: number;
  /** What the same deliveries would have spent without inbox, cache and model idempotency key. */
  tokensWithoutDefences: number;
  costSpentMicros: number;
  costWithoutDefencesMicros: number;
  deadLetters: {
    id: string;
    type: string;
    orderId: string;
    attempts: number;
    lastError: string | null;
    updatedAt: Date;
  }[];
};

/** Aggregated in the database (group by, sums); only the newest dead letters are read as rows. */
export async function jobsStats(db: Db): Promise<JobsStats> {
  const [byTypeState, jobTotals, emailsSent, calls, deadLetters] = await Promise.all([
    db.job.groupBy({ by: ["type", "state"], _count: { _all: true } }),
    db.job.aggregate({
      where: { attempts: { gt: 0 } },
      _sum: { absorbed: true, tokensSaved: true, attempts: true },
      _count: { _all: true },
    }),
    db.sentEmail.count(),
    db.modelCall.aggregate({ _count: { _all: true }, _sum: { tokens: true, costMicros: true } }),
    db.job.findMany({
      where: { state: "DEAD" },
      orderBy: { updatedAt: "desc" },
      take: 20,
      select: { id: true, type: true, orderId: true, attempts: true, lastError: true, updatedAt: true },
    }),
  ]);
  const byState: Record<JobState, number> = { PENDING: 0, RUNNING: 0, SUCCEEDED: 0, DEAD: 0 };
  for (const row of byTypeState) byState[row.state] += row._count._all;
  const tokensSpent = calls._sum.tokens ?? 0;
  const tokensSaved = jobTotals._sum.tokensSaved ?? 0;
  return {
    generatedAt: new Date().toISOString(),
    byState,
    byType: byTypeState.map((r) => ({ type: r.type, state: r.state, count: r._count._all })),
    redeliveriesAbsorbed: jobTotals._sum.absorbed ?? 0,
    extraDeliveries: (jobTotals._sum.attempts ?? 0) - jobTotals._count._all,
    emailsSent,
    modelCalls: calls._count._all,
    tokensSpent,
    tokensWithoutDefences: tokensSpent + tokensSaved,
    costSpentMicros: calls._sum.costMicros ?? 0,
    costWithoutDefencesMicros: (calls._sum.costMicros ?? 0) + tokensSaved * MICROS_PER_TOKEN,
    deadLetters,
  };
}
