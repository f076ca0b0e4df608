import { type Db, sqlOf } from "@/server/db";
import { DomainError, isDomainError } from "@/server/errors";
import { AttemptDied } from "@/server/lib/attempt-died";
import type { SqlClient } from "@/server/lib/sql";
import { Execution, LeaseLostError } from "./execution";
import { fingerprint } from "./fingerprint";
import type { IdempotentOperation } from "./operation";
import { countFailure } from "./poison";
import {
  abandonUnstarted,
  acquire,
  type DuplicateNet,
  type NewRecord,
  RecordConflict,
  type RecordRef,
  type Resumption,
  refusalForConflict,
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
  /** The caller's writes that commit with the final response of an execution (e.g. the request's event). */
  inFinalPhase?: (tx: SqlClient, result: IdempotentResult) => Promise<void>;
};

const TRANSIENT_RETRY_AFTER_MS = 1_000;
/** A new key's insert lost a race at most this often before the request is told to come back. */
const MAX_ROUNDS = 5;

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
  const net = duplicateNet(op, call);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const acquired = await acquire(db, cfg, {
      userId: call.userId,
      key: call.key,
      operation: op.name,
      fingerprint: fp,
      requestJson: JSON.stringify(canonical),
      net,
    });

    if (acquired.kind === "replay") {
      const { response } = acquired;
      return {
        ...response,
        outcome: "REPLAYED",
        recordId: acquired.recordId,
        amountCents: op.amountOf?.(response.body) ?? null,
        finalWritesDone: false,
      };
    }

    const { record } = acquired;
    const outcome = outcomeOf(acquired.kind === "owner" ? acquired.resumed : null);
    const resultOf = (response: StoredResponse, finalWritesDone: boolean): IdempotentResult => ({
      ...response,
      outcome,
      recordId: record.id,
      amountCents: op.amountOf?.(response.body) ?? null,
      finalWritesDone,
    });
    let finalWritesDone = false;
    try {
      const response = await runOwned(db, cfg, record, call.userId, (exec) => op.run(exec, call.input), {
        findRecentDuplicate: op.findRecentDuplicate?.bind(op),
        abandon: op.abandon,
        operation: op.name,
        draft: acquired.kind === "new" ? acquired.draft : undefined,
        inFinalPhase: call.inFinalPhase
          ? async (tx, response) => {
              await call.inFinalPhase?.(tx, resultOf(response, true));
              finalWritesDone = true;
            }
          : undefined,
      });
      return resultOf(response, finalWritesDone);
    } catch (error) {
      if (!(error instanceof RecordConflict) || acquired.kind !== "new") throw error;
      const refusal = await refusalForConflict(db, acquired.draft, error, net);
      if (refusal) throw refusal;
      // Look again: the winner's record now answers (replay, 409 in progress, or its result for the net).
    }
  }
  throw new DomainError("REQUEST_IN_PROGRESS", "the idempotency record is contended; retry shortly", {
    retryAfterMs: 500,
  });
}

export type FindRecentDuplicate = NonNullable<IdempotentOperation<unknown>["findRecentDuplicate"]>;

/** What runOwned needs of the operation beyond its body: the duplicate net's recheck, and undoing a poison record. */
export type OwnedHooks = {
  findRecentDuplicate?: FindRecentDuplicate | undefined;
  abandon?: IdempotentOperation<unknown>["abandon"];
  /** The operation's name, for cfg.hooks. */
  operation: string;
  /** A new key: the record is written by the first phase. */
  draft?: NewRecord | undefined;
  inFinalPhase?: ((tx: SqlClient, response: StoredResponse) => Promise<void>) | undefined;
};

/**
 * Runs an operation on a record this attempt owns (or is about to write), and turns failures into the
 * record's next state: transient -> lease released, recovery point kept; refusal before any side effect (a
 * suspected duplicate included) -> record removed (or never written); any other failure -> counted and lease
 * released, or at cfg.maxFailures the record abandoned (final); AttemptDied -> nothing (the lease stays held
 * until it expires, like a dead process's would). A new record lost to a race throws RecordConflict.
 */
export async function runOwned(
  db: Db,
  cfg: EngineConfig,
  record: RecordRef,
  userId: string,
  body: (exec: Execution) => Promise<StoredResponse>,
  hooks: OwnedHooks,
): Promise<StoredResponse> {
  const { findRecentDuplicate, abandon } = hooks;
  const claim = record.intentClaim;
  // The net's second half, once the claim is held: in the new record's first phase, right after its insert,
  // or for a takeover (or the recovery worker) of a record whose attempt died between its insert and check.
  const recheck =
    claim !== null && findRecentDuplicate
      ? (client: SqlClient) => refuseRecentDuplicate(findRecentDuplicate, client, cfg, userId, claim)
      : undefined;
  const exec = new Execution(
    db,
    cfg,
    record.id,
    userId,
    record.leaseVersion,
    record.recoveryPoint,
    record.confirmedRepeat,
    { draft: hooks.draft, afterInsert: recheck, inFinalPhase: hooks.inFinalPhase, hooks: cfg.hooks },
  );
  try {
    if (exec.saved && exec.recoveryPoint === STARTED && recheck) await recheck(sqlOf(db));
    await cfg.hooks?.beforeRun?.({ operation: hooks.operation, recordId: record.id, own: () => exec.own() });
    return await body(exec);
  } catch (error) {
    if (error instanceof AttemptDied || error instanceof RecordConflict) throw error;
    if (error instanceof LeaseLostError) {
      throw new DomainError("REQUEST_IN_PROGRESS", "another attempt took over this request; retry to get its result", {
        retryAfterMs: TRANSIENT_RETRY_AFTER_MS,
        cause: error,
      });
    }
    // Nothing of a new key was written: its first phase rolled back whole, so there is nothing to undo.
    if (!exec.saved) throw asTransient(error) ?? error;
    if (isDomainError(error) && exec.recoveryPoint === STARTED) {
      await abandonUnstarted(db, record);
      throw error;
    }
    const transient = asTransient(error);
    if (transient) {
      await releaseLease(db, record, error instanceof Error ? error.message : String(error));
      throw transient;
    }
    const message = error instanceof Error ? error.message : String(error);
    const abandoned = await countFailure(db, cfg, record, message, abandon);
    throw abandoned ?? error;
  }
}

/** A transient failure as the refusal the client gets (503, retry with the same key), or null. */
function asTransient(error: unknown): DomainError | null {
  if (isDomainError(error)) return error.reason === "TRANSIENT_FAILURE" ? error : null;
  if (!isTransient(error)) return null;
  return new DomainError("TRANSIENT_FAILURE", "a temporary failure interrupted the request; retry with the same key", {
    retryAfterMs: TRANSIENT_RETRY_AFTER_MS,
    cause: error,
  });
}

/**
 * Insert first, check second: an order is created before its record becomes final, so a twin of the intent
 * is visible at every instant either as a claim (refused at insert) or as its result (found here). A check
 * before the insert would miss a twin that finishes in between.
 */
async function refuseRecentDuplicate(
  findRecent: FindRecentDuplicate,
  client: SqlClient,
  cfg: EngineConfig,
  userId: string,
  fingerprint: string,
): Promise<void> {
  const since = new Date(Date.now() - cfg.duplicateWindowMs);
  const earlier = await findRecent({ userId, fingerprint, since }, client);
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
