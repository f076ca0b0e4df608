import { env } from "@/env";
import { recordEventIn } from "@/server/events/record-event";
import type { RequestEventInput } from "@/server/events/request-event";
import { outcomeOf } from "@/server/idempotency/engine";
import { type RecoveryEvent, type RecoveryReport, recoverExpired } from "@/server/idempotency/recovery";
import { observeRecoveryPass } from "@/server/metrics/observe";
import { sweepRetention } from "@/server/retention";
import type { Services } from "@/server/services";

/**
 * One pass of the recovery worker over the given services. Each finished record leaves a RECOVERED (crashed
 * attempt taken over) or RESUMED (transient failure resumed) event; the pass's actions are counted for
 * /api/metrics.
 */
export async function recoverOnce(services: Services): Promise<RecoveryReport> {
  const report = await recoverExpired(services.db, services.engine, services.registry, {
    onEvent: (e) => services.events.record(eventOf(e)),
    finalEvent: (tx, e) => recordEventIn(tx, eventOf(e)),
  });
  observeRecoveryPass(report);
  // A pass is rare and its events are few: they are written before it reports, not up to EVENT_FLUSH_MS later.
  await services.events.flush();
  return report;
}

const eventOf = (e: RecoveryEvent): RequestEventInput => ({
  userId: e.userId,
  operation: e.operation,
  key: e.key,
  recordId: e.recordId,
  outcome: e.error ? "FAILED" : outcomeOf(e.resumed),
  httpStatus: e.status ?? 500,
  reason: e.abandoned
    ? "RECOVERY_ABANDONED"
    : e.error
      ? `RECOVERY_WORKER: ${e.error}`.slice(0, 500)
      : "RECOVERY_WORKER",
  attempt: 0,
  latencyMs: e.latencyMs,
  amountCents: null,
});

/**
 * Runs the worker every RECOVERY_INTERVAL_MS in this process, each pass followed by one batch of the
 * retention sweep. Every instance may run one: records are claimed by conditional update, so two workers
 * never finish the same record twice, and deleting old rows twice is harmless.
 */
export function startRecoveryWorker(services: Services, intervalMs: number = env.RECOVERY_INTERVAL_MS): () => void {
  if (intervalMs <= 0) return () => {};
  let running = false; // only skips overlapping passes in this process; correctness comes from the database
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    recoverOnce(services)
      .then(async (r) => {
        if (r.recovered || r.failed || r.abandoned || r.swept) console.log(`[recovery] ${JSON.stringify(r)}`);
        const retained = await sweepRetention(services.db);
        if (Object.values(retained).some((n) => n > 0)) console.log(`[retention] ${JSON.stringify(retained)}`);
      })
      .catch((error: unknown) => console.error("[recovery] pass failed", error))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
