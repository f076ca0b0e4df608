import { type Db, sqlOf } from "@/server/db";
import type { Sql, SqlClient } from "@/server/lib/sql";
import { insertRecord, type NewRecord } from "./record-store";
import { type EngineConfig, type ExecutionHooks, FINISHED, STARTED, type StoredResponse } from "./types";

/** The attempt no longer owns the record: its lease expired and another attempt took it over. */
export class LeaseLostError extends Error {
  constructor(recordId: string) {
    super(`lease on idempotency record ${recordId} was lost to another attempt`);
    this.name = "LeaseLostError";
  }
}

const GUARD = `UPDATE "IdempotencyRecord" SET "recoveryPoint" = $1, "lockedUntil" = $2, "updatedAt" = $3
  WHERE "id" = $4 AND "leaseVersion" = $5 AND "status" = 'IN_PROGRESS'`;
const COMPLETE = `UPDATE "IdempotencyRecord" SET "status" = 'COMPLETED', "recoveryPoint" = '${FINISHED}', "intentClaim" = NULL,
  "lockedUntil" = NULL, "responseStatus" = $1, "responseJson" = $2, "updatedAt" = $3 WHERE "id" = $4`;

export type ExecutionOptions = {
  /** A key seen for the first time: its record is written by the first phase (or by own()). */
  draft?: NewRecord;
  /** Runs right after the new record's insert, in the same transaction (the duplicate net's recheck). */
  afterInsert?: (tx: SqlClient) => Promise<void>;
  /** The caller's own writes that commit with the final response (the request's event). */
  inFinalPhase?: (tx: SqlClient, response: StoredResponse) => Promise<void>;
  hooks?: ExecutionHooks;
};

/**
 * One attempt's ownership of an idempotency record. Every local write of the operation happens in a
 * phase: a short transaction whose first statement proves the lease is still ours (and renews it) and
 * moves the recovery point, together with the operation's own writes, or none of it. For a new key the
 * first statement of the first phase is the record's insert, so the record and the first writes commit
 * together: one durable commit, and no record is ever left behind by a refusal. Phases run on the SQL path
 * (sql.ts): an operation's phase writes hand-written SQL through the transaction it is given.
 */
export class Execution {
  private readonly sql: Sql;
  private point: string;
  private done: StoredResponse | null = null;
  private draft: NewRecord | null;

  constructor(
    db: Db,
    private readonly cfg: Pick<EngineConfig, "leaseMs" | "ttlMs">,
    readonly recordId: string,
    readonly userId: string,
    readonly leaseVersion: number,
    recoveryPoint: string,
    /** The shopper confirmed a suspected duplicate: the operation may record it on what it writes. */
    readonly confirmedRepeat = false,
    private readonly options: ExecutionOptions = {},
  ) {
    this.sql = sqlOf(db);
    this.point = recoveryPoint;
    this.draft = options.draft ?? null;
  }

  get recoveryPoint(): string {
    return this.point;
  }

  get response(): StoredResponse | null {
    return this.done;
  }

  /** The record exists in the database (false until a new key's first phase commits). */
  get saved(): boolean {
    return this.draft === null;
  }

  /**
   * Writes a new key's record now, on its own (one more commit), so that twins see the attempt in progress
   * before it does anything: for a hook that pauses or fails the attempt. No-op for a saved record.
   */
  async own(): Promise<void> {
    if (!this.draft) return;
    // The insert and the net's recheck commit together, as in a first phase.
    await this.sql.transaction((tx) => this.insert(tx, STARTED));
    this.draft = null;
  }

  private async insert(tx: SqlClient, point: string): Promise<void> {
    if (!this.draft) return;
    await insertRecord(tx, this.cfg, this.draft, point);
    await this.options.afterInsert?.(tx);
  }

  /**
   * Race: an attempt whose lease expired (slow, paused, "crashed") wakes up after another attempt took the
   * record over. The update is conditional on (id, leaseVersion), so it matches nothing for the stale one;
   * on PostgreSQL it also waits for the row lock held by the owner's open phase. Inside a phase it is the
   * first statement on purpose: it takes the write lock before any other write. A new record is inserted
   * instead (it is ours by construction).
   */
  private async guard(tx: SqlClient, point: string): Promise<void> {
    if (this.draft) return this.insert(tx, point);
    const now = Date.now();
    const renewed = await tx.run(GUARD, [
      point,
      new Date(now + this.cfg.leaseMs),
      new Date(now),
      this.recordId,
      this.leaseVersion,
    ]);
    if (renewed !== 1) throw new LeaseLostError(this.recordId);
  }

  /** A phase with local writes: the writes and the move to `next` commit together, or neither does. */
  async step<T>(next: string, work: (tx: SqlClient) => Promise<T>): Promise<T> {
    const result = await this.sql.transaction(async (tx) => {
      await this.guard(tx, next);
      return work(tx);
    });
    this.draft = null;
    this.point = next;
    return result;
  }

  /**
   * An outside effect keyed by this record happened (a provider charge). Nothing is written: the effect's
   * own idempotency key makes repeating it from the point before safe, so recording it would only cost a
   * commit. Demo hooks may fail the attempt here.
   */
  async effectDone(effect: string): Promise<void> {
    await this.options.hooks?.afterEffect?.(effect);
  }

  /** The last phase: its writes, the stored final response and the caller's final writes commit together. */
  async finish(work: (tx: SqlClient) => Promise<StoredResponse>): Promise<StoredResponse> {
    const response = await this.sql.transaction(async (tx) => {
      await this.guard(tx, this.point);
      const final = await work(tx);
      // Final: the duplicate-intent claim goes in the same statement, so a twin of the intent finds either
      // this claim or the result written above, never neither.
      await tx.run(COMPLETE, [final.status, JSON.stringify(final.body), new Date(), this.recordId]);
      await this.options.inFinalPhase?.(tx, final);
      return final;
    });
    this.draft = null;
    this.point = FINISHED;
    this.done = response;
    return response;
  }
}
