import type { Db } from "@/server/db";
import { isDomainError } from "@/server/errors";
import type { SqlClient } from "@/server/lib/sql";
import { type FindRecentDuplicate, runOwned } from "./engine";
import type { Execution } from "./execution";
import type { IdempotentOperation } from "./operation";
import { type Resumption, sweepExpired, takeOver } from "./record-store";
import type { EngineConfig, StoredResponse } from "./types";

/** What the worker needs of an operation: resume it from its stored request. */
export type Resumable = {
  resume(exec: Execution, requestJson: unknown): Promise<StoredResponse>;
  /** The operation's duplicate net, rechecked for a record that died between its insert and its check. */
  findRecentDuplicate?: FindRecentDuplicate;
  abandon?: (tx: SqlClient, recordId: string) => Promise<void>;
};
export type OperationRegistry = ReadonlyMap<string, Resumable>;

export const resumable = <I>(op: IdempotentOperation<I>): Resumable => ({
  resume: (exec, requestJson) => op.run(exec, op.parseRequest(requestJson)),
  findRecentDuplicate: op.findRecentDuplicate?.bind(op),
  abandon: op.abandon,
});

export type RecoveryReport = { recovered: number; failed: number; abandoned: number; contended: number; swept: number };

export type RecoveryEvent = {
  recordId: string;
  /** takeover: the attempt crashed (its lease expired); resume: it failed transiently and gave the lease back. */
  resumed: Resumption;
  userId: string;
  key: string;
  operation: string;
  status: number | null;
  error: string | null;
  /** The failure made the record final (poison): RECOVERY_ABANDONED. */
  abandoned: boolean;
  latencyMs: number;
};

/**
 * The recovery worker's one pass: finishes in-progress records whose lease expired with no client
 * coming back (so no charge is ever left without its order), then sweeps completed records past TTL.
 * Safe to run in every instance at once: each record is taken over by a conditional update.
 */
export async function recoverExpired(
  db: Db,
  cfg: EngineConfig,
  registry: OperationRegistry,
  options: {
    limit?: number;
    /** The event of a record taken over; a finished one's is written in its final phase (see finalEvent). */
    onEvent?: (e: RecoveryEvent) => Promise<void>;
    /** Writes the event of a record the worker finishes, in the transaction that completes it. */
    finalEvent?: (tx: SqlClient, e: RecoveryEvent) => Promise<void>;
  } = {},
): Promise<RecoveryReport> {
  const report: RecoveryReport = { recovered: 0, failed: 0, abandoned: 0, contended: 0, swept: 0 };
  const now = new Date();
  const stale = await db.idempotencyRecord.findMany({
    where: { status: "IN_PROGRESS", OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
    select: {
      id: true,
      userId: true,
      key: true,
      operation: true,
      leaseVersion: true,
      requestJson: true,
      lockedUntil: true,
    },
    orderBy: { createdAt: "asc" },
    take: options.limit ?? 50,
  });

  for (const candidate of stale) {
    const op = registry.get(candidate.operation);
    if (!op) continue;
    const lease = await takeOver(db, cfg, candidate.id, candidate.leaseVersion);
    if (!lease) {
      report.contended++;
      continue;
    }
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    let abandoned = false;
    let finalWritten = false;
    const eventOf = (): RecoveryEvent => ({
      recordId: candidate.id,
      resumed: candidate.lockedUntil === null ? "resume" : "takeover",
      userId: candidate.userId,
      key: candidate.key,
      operation: candidate.operation,
      status,
      error,
      abandoned,
      latencyMs: Date.now() - started,
    });
    const { finalEvent } = options;
    try {
      const request: unknown = JSON.parse(candidate.requestJson);
      const response = await runOwned(db, cfg, lease, candidate.userId, (exec) => op.resume(exec, request), {
        findRecentDuplicate: op.findRecentDuplicate,
        abandon: op.abandon,
        operation: candidate.operation,
        inFinalPhase:
          finalEvent &&
          (async (tx, final) => {
            status = final.status;
            await finalEvent(tx, eventOf());
            finalWritten = true;
          }),
      });
      status = response.status;
      report.recovered++;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      abandoned = isDomainError(e) && e.reason === "RECOVERY_ABANDONED";
      if (abandoned) report.abandoned++;
      else report.failed++;
    }
    if (!finalWritten) await options.onEvent?.(eventOf());
  }

  report.swept = await sweepExpired(db, now);
  return report;
}
