import type { Db, Tx } from "@/server/db";
import { type ExecutionHooks, FINISHED, type StoredResponse } from "./types";

/** The attempt no longer owns the record: its lease expired and another attempt took it over. */
export class LeaseLostError extends Error {
  constructor(recordId: string) {
    super(`lease on idempotency record ${recordId} was lost to another attempt`);
    this.name = "LeaseLostError";
  }
}

/** Phases are short; under a burst they may queue for SQLite's single writer, so waiting is allowed longer. */
const PHASE_TX = { maxWait: 10_000, timeout: 15_000 };

/**
 * One attempt's ownership of an idempotency record. Every local write of the operation happens in a
 * phase: a short transaction whose first statement proves the lease is still ours (and renews it) and
 * moves the recovery point, together with the operation's own writes, or none of it.
 */
export class Execution {
  private point: string;
  private done: StoredResponse | null = null;

  constructor(
    private readonly db: Db,
    readonly recordId: string,
    readonly userId: string,
    readonly leaseVersion: number,
    recoveryPoint: string,
    private readonly leaseMs: number,
    /** The shopper confirmed a suspected duplicate: the operation may record it on what it writes. */
    readonly confirmedRepeat = false,
    private readonly hooks: ExecutionHooks = {},
  ) {
    this.point = recoveryPoint;
  }

  get recoveryPoint(): string {
    return this.point;
  }

  get response(): StoredResponse | null {
    return this.done;
  }

  /**
   * Race: an attempt whose lease expired (slow, paused, "crashed") wakes up after another attempt took the
   * record over. The update is conditional on (id, leaseVersion), so it matches nothing for the stale one;
   * on PostgreSQL it also waits for the row lock held by the owner's open phase. Inside a phase it is the
   * first statement on purpose: it takes the write lock before any other write.
   */
  private async guard(client: Db | Tx, data: { recoveryPoint?: string }): Promise<void> {
    const renewed = await client.idempotencyRecord.updateMany({
      where: { id: this.recordId, leaseVersion: this.leaseVersion, status: "IN_PROGRESS" },
      data: { ...data, lockedUntil: new Date(Date.now() + this.leaseMs) },
    });
    if (renewed.count !== 1) throw new LeaseLostError(this.recordId);
  }

  /** A phase with local writes: the writes and the move to `next` commit together, or neither does. */
  async step<T>(next: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await this.db.$transaction(async (tx) => {
      await this.guard(tx, { recoveryPoint: next });
      return work(tx);
    }, PHASE_TX);
    this.point = next;
    return result;
  }

  /** Records that an outside effect happened (one conditional statement, no transaction needed). */
  async advance(next: string): Promise<void> {
    await this.hooks.beforeAdvance?.(next);
    await this.guard(this.db, { recoveryPoint: next });
    this.point = next;
  }

  /** The last phase: its writes and the stored final response commit together. */
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
      });
      return final;
    }, PHASE_TX);
    this.point = FINISHED;
    this.done = response;
    return response;
  }
}
