export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What a completed key replays forever: the HTTP status and body exactly as first sent. */
export type StoredResponse = { status: number; body: Json };

/** Recovery points every operation has; the ones in between belong to the operation. */
export const STARTED = "STARTED";
export const FINISHED = "FINISHED";
/** A poison record: its resumption failed RECOVERY_MAX_FAILURES times; its stored answer is a refusal. */
export const ABANDONED = "ABANDONED";

export type EngineConfig = {
  leaseMs: number;
  ttlMs: number;
  duplicateWindowMs: number;
  /** Non-transient failed resumptions after which a record is abandoned (final, stored refusal). */
  maxFailures: number;
  /** Points where the composition root may step into every execution; production wires none. */
  hooks?: ExecutionHooks;
};

/**
 * Generic points of an execution (the demo injects its faults here). A hook may wait, or throw: a
 * TransientError releases the lease, an AttemptDied leaves the record as a killed process would.
 */
export type ExecutionHooks = {
  /**
   * Before the operation's body runs (first attempt, retry or worker). A hook that pauses or fails the
   * attempt calls `own()` first, so a new key's record is written and twins see the attempt in progress.
   */
  beforeRun?(run: { operation: string; recordId: string; own: () => Promise<void> }): Promise<void>;
  /** After an outside effect keyed by the record (see Execution.effectDone), before anything else. */
  afterEffect?(effect: string): Promise<void>;
};

export type Outcome = "EXECUTED" | "REPLAYED" | "RECOVERED" | "RESUMED";

export type IdempotentResult = StoredResponse & {
  outcome: Outcome;
  recordId: string;
  amountCents: number | null;
  /** The call's inFinalPhase writes committed with this result (false for a replay). */
  finalWritesDone: boolean;
};
