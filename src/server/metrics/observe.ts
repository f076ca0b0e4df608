import type { RequestEventInput } from "@/server/events/request-event";
import type { RecoveryReport } from "@/server/idempotency/recovery";
import type { JobPassReport } from "@/server/jobs/types";
import { metrics } from "./registry";

/** Counts one request event. Metrics never fail the request they describe. */
export function observeRequestEvent(event: RequestEventInput): void {
  try {
    if (event.outcome === "CLIENT_DEDUPED" || event.outcome === "CLIENT_RETRY") {
      metrics.clientReports.inc({ operation: event.operation, kind: event.outcome });
      return;
    }
    if (event.outcome === "UNSAFE_EXECUTED") {
      metrics.unkeyedRequests.inc({ operation: event.operation, outcome: event.outcome });
      return;
    }
    metrics.requests.inc({ operation: event.operation, outcome: event.outcome });
    const seconds = Math.max(0, event.latencyMs) / 1000;
    if (event.outcome === "REPLAYED") metrics.replayLatency.observe({ operation: event.operation }, seconds);
    if (event.outcome === "EXECUTED" || event.outcome === "RECOVERED" || event.outcome === "RESUMED") {
      metrics.executionLatency.observe({ operation: event.operation }, seconds);
    }
  } catch (error) {
    console.error("[metrics] could not count a request event", error);
  }
}

/** Counts a request that was refused without a row (so floods of them cannot grow a table). */
export function observeUnrecorded(operation: string, reason: string): void {
  try {
    metrics.unrecordedRequests.inc({ operation, reason });
  } catch (error) {
    console.error("[metrics] could not count an unrecorded request", error);
  }
}

export function observeRecoveryPass(report: RecoveryReport): void {
  for (const action of ["recovered", "failed", "abandoned", "contended", "swept"] as const) {
    if (report[action] > 0) metrics.recoveryActions.inc({ action }, report[action]);
  }
}

/** Counts one job worker pass. Metrics never fail the work they describe. */
export function observeJobPass(report: JobPassReport): void {
  metrics.jobsClaimed.inc(report.claimed);
  metrics.jobsSucceeded.inc(report.done + report.cached + report.absorbed);
  metrics.jobsAbsorbed.inc(report.absorbed);
  metrics.jobsRetried.inc(report.retried);
  metrics.jobsDead.inc(report.dead + report.buried);
}
