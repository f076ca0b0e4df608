import type { SqlClient } from "@/server/lib/sql";
import type { Execution } from "./execution";
import type { Json, StoredResponse } from "./types";

/**
 * An operation the engine can run, resume and recover. The engine knows only this interface:
 * nothing about what the operation writes.
 */
export interface IdempotentOperation<I> {
  readonly name: string;
  /** Validates a stored request (the recovery worker resumes from it). */
  parseRequest(json: unknown): I;
  /** Input as fingerprinted and stored: canonical (e.g. line items sorted), without the key. */
  canonicalInput(input: I): Json;
  /**
   * Runs from exec.recoveryPoint until a phase completes the record. Each local write happens in
   * exec.step() / exec.finish(), in SQL through the transaction they give (see sql.ts); side effects outside the database must be idempotent by a key derived from exec.recordId
   * (and announced with exec.effectDone).
   */
  run(exec: Execution, input: I): Promise<StoredResponse>;
  /**
   * Optional content-hash safety net: an earlier result of this user with the same fingerprint since `since`
   * that counts as a duplicate (e.g. a non-failed order). With it, new keys also claim their intent while in
   * progress, so two keys of one intent never execute at once unless the later one confirms. Reads through
   * `client`: it runs inside the new record's first phase.
   */
  findRecentDuplicate?(
    args: { userId: string; fingerprint: string; since: Date },
    client: SqlClient,
  ): Promise<{ id: string } | null>;
  /** The result a record has produced so far (e.g. its order), to name it to a refused twin. */
  resultOfRecord?(recordId: string): Promise<{ id: string } | null>;
  /**
   * Undoes the operation's local writes of an abandoned (poison) record, inside the transaction that
   * makes the record final (e.g. cancel the order, release its stock). Must be conditional: it may find
   * nothing to undo.
   */
  abandon?(tx: SqlClient, recordId: string): Promise<void>;
  /** Money a repeat of this response would have moved, for the dashboard's "protected" figure. */
  amountOf?(body: Json): number | null;
}
