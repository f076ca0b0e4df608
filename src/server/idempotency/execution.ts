import type { Db, Tx } from "@/server/db";
import { insertRecord, type NewRecord } from "./record-store";
import { type EngineConfig, type ExecutionHooks, FINISHED, STARTED, type StoredResponse } from "./types";

/** The attempt no longer owns the record: its lease expired and another attempt took it over. */
export class LeaseLostError extends Error {
  constructor(recordId: string) {
    super(`lease on idempotency record ${recordId} was lost to another attempt`);
    this.name = "LeaseLostError";
  }
}

/** Phases are short; under a burst they may queue for SQLite's single writer, so waiting is allowed longer. */
const PHASE_TX = { maxWait: 10_000, timeout: 15_000 };

export type ExecutionOptions = {
  /** A key seen for the first time: its record is written by the first phase (or by own()). */
  draft?: NewRecord;
  /** Runs right after the new record's insert, in the same transaction (the duplicate net's recheck). */
  afterInsert?: (client: Db | Tx) => Promise<void>;
  /** The caller's own writes that commit with the final response (the request's event). */
  inFinalPhase?: (tx: Tx, response: StoredResponse) => Promise<void>;
  hooks?: ExecutionHooks;
};

/**
 * One attempt's ownership of an idempotency record. Every local write of the operation happens in a
 * phase: a short transaction whose first statement proves the lease is still ours (and renews it) and
 * moves the recovery point, together with the operation's own writes, or none of it. For a new key the
 * first statement of the first phase is the record's insert, so the record and the first writes commit
 * together: one durable commit, and no record is ever left behind by a refusal.
 */
export class Execution {
  private point: string;
  private done: StoredResponse | null = null;
  private draft: NewRecord | null;

  constructor(
    private readonly db: Db,
    private readonly cfg: Pick<EngineConfig, "leaseMs" | "ttlMs">,
    readonly recordId: string,
    readonly userId: string,
    readonly leaseVersion: number,
    recoveryPoint: string,
    /** The shopper confirmed a suspected duplicate: the operation may record it on what it writes. */
    readonly confirmedRepeat = false,
    private readonly options: ExecutionOptions = {},
  ) {
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
    await this.db.$transaction((tx) => this.insert(tx, STARTED), PHASE_TX);
    this.draft = null;
  }

  private async insert(client: Db | Tx, point: string): Promise<void> {
    if (!this.draft) return;
    await insertRecord(client, this.cfg, this.draft, point);
    await this.options.afterInsert?.(client);
  }

  /**
   * Race: an attempt whose lease expired (slow, paused, "crashed") wakes up after another attempt took the
   * record over. The update is conditional on (id, leaseVersion), so it matches nothing for the stale one;
   * on PostgreSQL it also waits for the row lock held by the owner's open phase. Inside a phase it is the
   * first statement on purpose: it takes the write lock before any other write. A new record is inserted
   * instead (it is ours by construction).
   */
  private async guard(client: Db | Tx, data: { recoveryPoint?: string }): Promise<void> {
    if (this.draft) return this.insert(client, data.recoveryPoint ?? this.point);
    const renewed = await client.idempotencyRecord.updateMany({
      where: { id: this.recordId, leaseVersion: this.leaseVersion, status: "IN_PROGRESS" },
      data: { ...data, lockedUntil: new Date(Date.now() + this.cfg.leaseMs) },
    });
    if (renewed.count !== 1) throw new LeaseLostError(this.recordId);
  }

  /** A phase with local writes: the writes and the move to `next` commit together, or neither does. */
  async step<T>(next: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await this.db.$transaction(async (tx) => {
      await this.guard(tx, { recoveryPoint: next });
      return work(tx);
    }, PHASE_TX);
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
  async finish(work: (tx: Tx) => Promise<StoredResponse>): Promise<StoredResponse> {
    const response = await this.db.$transaction(async (tx) => {
      await this.guard(tx, {});
      const final = await work(tx);
      await tx.idempotencyRecord.update({
        where: { id: this.recordId },
        data: {
          status: "COMPLETED",
          recoveryPoint: FINISHED,
          // Final: the duplicate-intent claim goes in the same statement, so a twin of the intent finds
          // either this claim or the result written above, never neither.
          intentClaim: null,
          lockedUntil: null,
          responseStatus: final.status,
          responseJson: JSON.stringify(final.body),
        },
        select: { id: true },
      });
      await this.options.inFinalPhase?.(tx, final);
      return final;
    }, PHASE_TX);
    this.draft = null;
    this.point = FINISHED;
    this.done = response;
    return response;
  }
}
