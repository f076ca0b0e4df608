import { randomUUID } from "node:crypto";
import { type Db, sqlOf } from "@/server/db";
import { DomainError } from "@/server/errors";
import { dateOf, type SqlClient } from "@/server/lib/sql";
import { isUniqueViolation, violatesUniqueOn } from "@/server/lib/unique-violation";
import { type EngineConfig, type Json, STARTED, type StoredResponse } from "./types";

export type RecordRef = {
  id: string;
  leaseVersion: number;
  recoveryPoint: string;
  /** Held while a new, unconfirmed key of an operation with a duplicate net is in progress. */
  intentClaim: string | null;
  confirmedRepeat: boolean;
};

/**
 * How an owner came by an existing record: its earlier attempt's lease had expired (a crash: a takeover)
 * or had been given back after a transient failure (a resume).
 */
export type Resumption = "takeover" | "resume";

/**
 * A key seen for the first time: the record is not written yet. Its insert is the first statement of the
 * operation's first phase (see Execution), so a first execution commits the record with its first writes.
 */
export type NewRecord = {
  id: string;
  userId: string;
  key: string;
  operation: string;
  fingerprint: string;
  requestJson: string;
  intentClaim: string | null;
  confirmedRepeat: boolean;
};

export type Acquired =
  | { kind: "owner"; record: RecordRef; resumed: Resumption | null }
  | { kind: "new"; record: RecordRef; draft: NewRecord }
  | { kind: "replay"; recordId: string; response: StoredResponse };

/**
 * The insert of a new record lost a unique race: another request of the same (user, key), or another key
 * holding the claim on the same intent, committed first. The engine looks again (acquire) or refuses.
 */
export class RecordConflict extends Error {
  constructor(readonly onClaim: boolean) {
    super(onClaim ? "another key holds the claim on this intent" : "another request inserted this key first");
    this.name = "RecordConflict";
  }
}

export type AcquireRequest = {
  userId: string;
  key: string;
  operation: string;
  fingerprint: string;
  requestJson: string;
  /** The duplicate-intent net, for operations that have one (see DuplicateNet). */
  net?: DuplicateNet;
};

/**
 * The content-hash safety net's first half, for new keys: unless the shopper confirmed a repeat, the new
 * record claims (user, fingerprint) until it is final. An insert refused because another key holds the
 * claim throws `claimedBy(holder)`. The second half (a recent result of the intent) is checked by the
 * engine once the claim is held.
 */
export type DuplicateNet = {
  confirmed: boolean;
  claimedBy: (holder: { id: string; key: string }) => Promise<Error>;
};

/**
 * The record as acquire reads it, by the unique (userId, key): a replay's only statement and a first
 * execution's first, so it is sent on the SQL path (no query interpreter) rather than through the model API.
 */
const LOOKUP = `SELECT "id", "fingerprint", "status", "recoveryPoint", "lockedUntil", "leaseVersion", "responseStatus",
  "responseJson", "expiresAt" FROM "IdempotencyRecord" WHERE "userId" = $1 AND "key" = $2`;

type LookedUp = {
  id: string;
  fingerprint: string;
  status: string;
  recoveryPoint: string;
  lockedUntil: unknown;
  leaseVersion: number;
  responseStatus: number | null;
  responseJson: string | null;
  expiresAt: unknown;
};

/** Past its TTL but not yet swept: removed only if still expired and completed, on the same path. */
const DELETE_EXPIRED = `DELETE FROM "IdempotencyRecord" WHERE "id" = $1 AND "status" = 'COMPLETED' AND "expiresAt" <= $2`;

/** A held lease tells an in-flight twin to come back soon; the owner usually finishes well before expiry. */
const IN_FLIGHT_RETRY_AFTER_MAX_MS = 1_000;
const MAX_ROUNDS = 5;

/**
 * Finds the record of (user, key) and decides what this request is: a new execution (the record is written
 * by its first phase), the owner of a taken-over one, or a replay. Refusals (mismatch, in flight) are thrown
 * as DomainErrors. A replay costs exactly one query: the lookup by the unique (userId, key).
 */
export async function acquire(db: Db, cfg: EngineConfig, req: AcquireRequest): Promise<Acquired> {
  const sql = sqlOf(db);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = new Date();
    const [row] = await sql.rows<LookedUp>(LOOKUP, [req.userId, req.key]);
    const found = row && { ...row, lockedUntil: dateOf(row.lockedUntil), expiresAt: dateOf(row.expiresAt) as Date };

    if (!found) {
      const draft: NewRecord = {
        id: randomUUID(),
        userId: req.userId,
        key: req.key,
        operation: req.operation,
        fingerprint: req.fingerprint,
        requestJson: req.requestJson,
        intentClaim: req.net && !req.net.confirmed ? req.fingerprint : null,
        confirmedRepeat: req.net?.confirmed ?? false,
      };
      const record: RecordRef = {
        id: draft.id,
        leaseVersion: 0,
        recoveryPoint: STARTED,
        intentClaim: draft.intentClaim,
        confirmedRepeat: draft.confirmedRepeat,
      };
      return { kind: "new", record, draft };
    }

    if (found.status === "COMPLETED" && found.expiresAt <= now) {
      // Past its TTL but not yet swept: remove it and treat the key as new.
      await sql.run(DELETE_EXPIRED, [found.id, now]);
      continue;
    }

    if (found.fingerprint !== req.fingerprint) {
      throw new DomainError(
        "KEY_REUSED_WITH_DIFFERENT_REQUEST",
        "this idempotency key was used for a different request; use a new key for a new intent",
      );
    }

    if (found.status === "COMPLETED") {
      return {
        kind: "replay",
        recordId: found.id,
        response: { status: found.responseStatus ?? 200, body: JSON.parse(found.responseJson ?? "null") as Json },
      };
    }

    if (found.lockedUntil && found.lockedUntil > now) {
      const remaining = found.lockedUntil.getTime() - now.getTime();
      throw new DomainError("REQUEST_IN_PROGRESS", "a request with this idempotency key is still in progress", {
        retryAfterMs: Math.min(remaining, IN_FLIGHT_RETRY_AFTER_MAX_MS),
        details: { recordId: found.id },
      });
    }

    const taken = await takeOver(db, cfg, found.id, found.leaseVersion, now);
    if (taken) return { kind: "owner", record: taken, resumed: found.lockedUntil === null ? "resume" : "takeover" };
    // Someone else took it over between our read and our update: look again.
  }
  throw new DomainError("REQUEST_IN_PROGRESS", "the idempotency record is contended; retry shortly", {
    retryAfterMs: 500,
  });
}

const INSERT_RECORD = `INSERT INTO "IdempotencyRecord" ("id", "userId", "key", "operation", "fingerprint", "requestJson",
  "intentClaim", "confirmedRepeat", "recoveryPoint", "status", "leaseVersion", "attempts", "failures", "lockedUntil",
  "expiresAt", "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'IN_PROGRESS', 0, 1, 0, $10, $11, $12, $12)`;

/**
 * Writes a new record, owned (leased) by this attempt, at `recoveryPoint`: inside the operation's first phase
 * (or alone, when an attempt must be seen in progress before it does anything).
 * Race: twins with the same new key both saw no record; the unique (userId, key) lets one insert win (on
 * PostgreSQL the loser's insert waits for the winner's transaction). Race: two keys of one intent (two tabs)
 * inserted at once; the unique (userId, intentClaim) lets one hold the claim. The loser gets RecordConflict.
 */
export async function insertRecord(
  tx: SqlClient,
  cfg: Pick<EngineConfig, "leaseMs" | "ttlMs">,
  draft: NewRecord,
  recoveryPoint: string,
): Promise<void> {
  const now = Date.now();
  const { id, userId, key, operation, fingerprint, requestJson, intentClaim, confirmedRepeat } = draft;
  try {
    await tx.run(INSERT_RECORD, [
      id,
      userId,
      key,
      operation,
      fingerprint,
      requestJson,
      intentClaim,
      confirmedRepeat,
      recoveryPoint,
      new Date(now + cfg.leaseMs),
      new Date(now + cfg.ttlMs),
      new Date(now),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new RecordConflict(intentClaim !== null && violatesUniqueOn(error, "intentClaim"));
  }
}

const CLAIM_HOLDER = `SELECT "id", "key" FROM "IdempotencyRecord" WHERE "userId" = $1 AND "intentClaim" = $2`;

/**
 * After a RecordConflict: the refusal when another key of this user holds the claim on the intent (another
 * tab paying the same cart), or null to look again (the twin of our own key, or a holder already gone, whose
 * result the engine then finds).
 */
export async function refusalForConflict(db: Db, draft: NewRecord, conflict: RecordConflict, net?: DuplicateNet) {
  if (!conflict.onClaim || !net || draft.intentClaim === null) return null;
  const [holder] = await sqlOf(db).rows<{ id: string; key: string }>(CLAIM_HOLDER, [draft.userId, draft.intentClaim]);
  return holder && holder.key !== draft.key ? net.claimedBy(holder) : null;
}

const TAKE_OVER = `UPDATE "IdempotencyRecord" SET "lockedUntil" = $1, "leaseVersion" = "leaseVersion" + 1,
  "attempts" = "attempts" + 1, "updatedAt" = $2 WHERE "id" = $3 AND "status" = 'IN_PROGRESS' AND "leaseVersion" = $4
  AND ("lockedUntil" IS NULL OR "lockedUntil" <= $2)`;
const OWNED = `SELECT "id", "leaseVersion", "recoveryPoint", "intentClaim", "confirmedRepeat" FROM "IdempotencyRecord"
  WHERE "id" = $1 AND "leaseVersion" = $2 AND "status" = 'IN_PROGRESS'`;

/**
 * Takes over an in-progress record whose lease is free or expired (a crashed or released attempt).
 * Returns the new lease or null if another attempt won.
 */
export async function takeOver(
  db: Db,
  cfg: EngineConfig,
  id: string,
  seenLeaseVersion: number,
  now: Date = new Date(),
): Promise<RecordRef | null> {
  const sql = sqlOf(db);
  // Race: two retries (or a retry and the recovery worker) find the same expired lease. The update is
  // conditional on the lease version they both read, so exactly one of them gets count 1.
  const won = await sql.run(TAKE_OVER, [new Date(now.getTime() + cfg.leaseMs), now, id, seenLeaseVersion]);
  if (won !== 1) return null;
  // Race: if this read is slower than the lease we just won, a third attempt may take the record over (and
  // even finish it) in between. Reading by the version we won means we never adopt someone else's lease.
  const [owned] = await sql.rows<RecordRef & { confirmedRepeat: unknown }>(OWNED, [id, seenLeaseVersion + 1]);
  return owned ? { ...owned, confirmedRepeat: Boolean(owned.confirmedRepeat) } : null;
}

const RELEASE_LEASE = `UPDATE "IdempotencyRecord" SET "lockedUntil" = NULL, "lastError" = $1, "updatedAt" = $2
  WHERE "id" = $3 AND "leaseVersion" = $4 AND "status" = 'IN_PROGRESS'`;

/** Transient failure: give the lease back at once (a retry may resume now), keep the recovery point. */
export async function releaseLease(db: Db, ref: { id: string; leaseVersion: number }, error: string): Promise<void> {
  await sqlOf(db).run(RELEASE_LEASE, [error.slice(0, 500), new Date(), ref.id, ref.leaseVersion]);
}

const ABANDON_UNSTARTED = `DELETE FROM "IdempotencyRecord" WHERE "id" = $1 AND "leaseVersion" = $2
  AND "status" = 'IN_PROGRESS' AND "recoveryPoint" = '${STARTED}'`;

/**
 * A refusal found before any side effect (unknown product, not enough stock): the key must not keep it
 * as its final answer, so the record goes. Conditional, so it never deletes a record that moved on.
 */
export async function abandonUnstarted(db: Db, ref: { id: string; leaseVersion: number }): Promise<boolean> {
  return (await sqlOf(db).run(ABANDON_UNSTARTED, [ref.id, ref.leaseVersion])) === 1;
}

/** TTL sweep: completed records past expiresAt go, and their keys may be used again as new. */
export async function sweepExpired(db: Db, now: Date = new Date()): Promise<number> {
  const swept = await db.idempotencyRecord.deleteMany({ where: { status: "COMPLETED", expiresAt: { lte: now } } });
  return swept.count;
}
