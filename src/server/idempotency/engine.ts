import type { Db } from "@/server/db";
import { DomainError, isDomainError } from "@/server/errors";
import { AttemptDied } from "@/server/lib/attempt-died";
import { Execution, LeaseLostError } from "./execution";
import { fingerprint } from "./fingerprint";
import type { IdempotentOperation } from "./operation";
import { countFailure } from "./poison";
import {
  abandonUnstarted,
  acquire,
  type DuplicateNet,
  type RecordRef,
  type Resumption,
  releaseLease,
} from "./record-store";
import { isTransient } from "./transient";
import { type EngineConfig, type IdempotentResult, type Outcome, STARTED, type StoredResponse } from "./types";

export type IdempotentCall<I> = {
  userId: string;
  key: string;
  input: I;
  /** Skips the content-hash safety net: the shopper confirmed a repeat on purpose. */
  confirmDuplicate?: boolean;
};

const TRANSIENT_RETRY_AFTER_MS = 1_000;

/** The dashboard tells crashed attempts taken over apart from transient failures resumed. */
export const outcomeOf = (resumed: Resumption | null): Outcome =>
  resumed === "takeover" ? "RECOVERED" : resumed === "resume" ? "RESUMED" : "EXECUTED";

/**
 * Runs one keyed request of an operation exactly once per (user, key): executes it, resumes a crashed
 * attempt from its recovery point, or replays the stored response. Refusals are thrown as DomainErrors.
 */
export async function runIdempotent<I>(
  db: Db,
  cfg: EngineConfig,
  op: IdempotentOperation<I>,
  call: IdempotentCall<I>,
): Promise<IdempotentResult> {
  const canonical = op.canonicalInput(call.input);
  const fp = fingerprint(op.name, canonical);
  const acquired = await acquire(db, cfg, {
    userId: call.userId,
    key: call.key,
    operation: op.name,
    fingerprint: fp,
    requestJson: JSON.stringify(canonical),
    net: duplicateNet(op, call),
  });

  if (acquired.kind === "replay") {
    const { response } = acquired;
    return {
      ...response,
      outcome: "REPLAYED",
      recordId: acquired.recordId,
      amountCents: op.amountOf?.(response.body) ?? null,
    };
  }

  const response = await runOwned(db, cfg, acquired.record, call.userId, (exec) => op.run(exec, call.input), {
    findRecentDuplicate: op.findRecentDuplicate?.bind(op),
    abandon: op.abandon,
    operation: op.name,
  });
  return {
    ...response,
    outcome: outcomeOf(acquired.resumed),
    recordId: acquired.record.id,
    amountCents: op.amountOf?.(response.body) ?? null,
  };
}

export type FindRecentDuplicate = NonNullable<IdempotentOperation<unknown>["findRecentDuplicate"]>;

/** What runOwned needs of the operation beyond its body: the duplicate net's recheck, and undoing a poison record. */
export type OwnedHooks = {
  findRecentDuplicate?: FindRecentDuplicate | undefined;
  abandon?: IdempotentOperation<unknown>["abandon"];
  /** The operation's name, for cfg.hooks. */
  operation: string;
};

/**
 * Runs an operation on a record this attempt owns, and turns failures into the record's next state:
 * transient -> lease released, recovery point kept; refusal before any side effect (a suspected duplicate
 * included) -> record removed; any other failure -> counted and lease released, or at cfg.maxFailures the
 * record abandoned (final); AttemptDied -> nothing (the lease stays held until it expires, like a dead
 * process's would).
 */
export async function runOwned(
  db: Db,
  cfg: EngineConfig,
  record: RecordRef,
  userId: string,
  body: (exec: Execution) => Promise<StoredResponse>,
  hooks: OwnedHooks,
): Promise<StoredResponse> {
  const exec = new Execution(
    db,
    record.id,
    userId,
    record.leaseVersion,
    record.recoveryPoint,
    cfg.leaseMs,
    record.confirmedRepeat,
    cfg.hooks,
  );
  const { findRecentDuplicate, abandon } = hooks;
  try {
    // The net's second half, while the claim is held: also for a takeover (or the recovery worker) of a
    // record whose attempt died between its insert and this check.
    if (exec.recoveryPoint === STARTED && record.intentClaim !== null && findRecentDuplicate) {
      await refuseRecentDuplicate(findRecentDuplicate, cfg, userId, record.intentClaim);
    }
    await cfg.hooks?.beforeRun?.({ operation: hooks.operation, recordId: record.id });
    return await body(exec);
  } catch (error) {
    if (error instanceof AttemptDied) throw error;
    if (error instanceof LeaseLostError) {
      throw new DomainError("REQUEST_IN_PROGRESS", "another attempt took over this request; retry to get its result", {
        retryAfterMs: TRANSIENT_RETRY_AFTER_MS,
        cause: error,
      });
    }
    if (isDomainError(error) && exec.recoveryPoint === STARTED) {
      await abandonUnstarted(db, record);
      throw error;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (isTransient(error) || (isDomainError(error) && error.reason === "TRANSIENT_FAILURE")) {
      await releaseLease(db, record, message);
      throw isDomainError(error)
        ? error
        : new DomainError("TRANSIENT_FAILURE", "a temporary failure interrupted the request; retry with the same key", {
            retryAfterMs: TRANSIENT_RETRY_AFTER_MS,
            cause: error,
          });
    }
    const abandoned = await countFailure(db, cfg, record, message, abandon);
    throw abandoned ?? error;
  }
}

/**
 * Insert first, check second: an order is created before its record becomes final, so a twin of the intent
 * is visible at every instant either as a claim (refused at insert) or as its result (found here). A check
 * before the insert would miss a twin that finishes in between.
 */
async function refuseRecentDuplicate(
  findRecent: FindRecentDuplicate,
  cfg: EngineConfig,
  userId: string,
  fingerprint: string,
): Promise<void> {
  const since = new Date(Date.now() - cfg.duplicateWindowMs);
  const earlier = await findRecent({ userId, fingerprint, since });
  if (earlier) {
    throw new DomainError(
      "DUPLICATE_INTENT_SUSPECTED",
      "an identical request of yours completed moments ago; confirm to repeat it",
      { details: { orderId: earlier.id } },
    );
  }
}

/** The record store's half of the net: the claim, and the 409 when another key holds it. */
function duplicateNet<I>(op: IdempotentOperation<I>, call: IdempotentCall<I>): DuplicateNet | undefined {
  if (!op.findRecentDuplicate) return undefined;
  return {
    confirmed: call.confirmDuplicate === true,
    claimedBy: async (holder) => {
      const result = await op.resultOfRecord?.(holder.id);
      return new DomainError(
        "DUPLICATE_INTENT_SUSPECTED",
        "an identical request of yours is being processed right now; confirm to place another",
        { details: { inProgressKey: holder.key, ...(result ? { orderId: result.id } : {}) } },
      );
    },
  };
}
