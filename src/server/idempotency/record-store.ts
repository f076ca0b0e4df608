import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
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

export type Acquired =
  | { kind: "owner"; record: RecordRef; resumed: Resumption | null }
  | { kind: "replay"; recordId: string; response: StoredResponse };

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

const ownerView = {
  id: true,
  leaseVersion: true,
  recoveryPoint: true,
  intentClaim: true,
  confirmedRepeat: true,
} as const;

const recordView = {
  id: true,
  fingerprint: true,
  status: true,
  recoveryPoint: true,
  lockedUntil: true,
  leaseVersion: true,
  responseStatus: true,
  responseJson: true,
  expiresAt: true,
} as const;

/** A held lease tells an in-flight twin to come back soon; the owner usually finishes well before expiry. */
const IN_FLIGHT_RETRY_AFTER_MAX_MS = 1_000;
const MAX_ROUNDS = 5;

/**
 * Finds or creates the record of (user, key) and decides what this request is: the owner of a new or
 * taken-over execution, or a replay. Refusals (mismatch, in flight) are thrown as DomainErrors.
 * A replay costs exactly one query: the lookup by the unique (userId, key).
 */
export async function acquire(db: Db, cfg: EngineConfig, req: AcquireRequest): Promise<Acquired> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = new Date();
    const found = await db.idempotencyRecord.findUnique({
      where: { userId_key: { userId: req.userId, key: req.key } },
      select: recordView,
    });

    if (!found) {
      const claim = req.net && !req.net.confirmed ? req.fingerprint : null;
      try {
        const created = await db.idempotencyRecord.create({
          data: {
            userId: req.userId,
            key: req.key,
            operation: req.operation,
            fingerprint: req.fingerprint,
            requestJson: req.requestJson,
            recoveryPoint: STARTED,
            lockedUntil: new Date(now.getTime() + cfg.leaseMs),
            expiresAt: new Date(now.getTime() + cfg.ttlMs),
            intentClaim: claim,
            confirmedRepeat: req.net?.confirmed ?? false,
          },
          select: ownerView,
        });
        return { kind: "owner", record: created, resumed: null };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (claim !== null && violatesUniqueOn(error, "intentClaim")) {
          // Race: another key of this user holds the claim on this intent (another tab paying the same cart).
          const holder = await db.idempotencyRecord.findFirst({
            where: { userId: req.userId, intentClaim: claim },
            select: { id: true, key: true },
          });
          // Gone or our own key's twin: look again (a finished holder's result is then found by the engine).
          if (holder && holder.key !== req.key && req.net) throw await req.net.claimedBy(holder);
          continue;
        }
        // Race: twins with the same new key both saw no record; the unique (userId, key) lets one insert win.
        // The loser reads the winner's record on the next round (and gets 409 or a replay).
        continue;
      }
    }

    if (found.status === "COMPLETED" && found.expiresAt <= now) {
      // Past its TTL but not yet swept: remove it (only if still expired and completed) and treat the key as new.
      await db.idempotencyRecord.deleteMany({ where: { id: found.id, status: "COMPLETED", expiresAt: { lte: now } } });
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
  // Race: two retries (or a retry and the recovery worker) find the same expired lease. The update is
  // conditional on the lease version they both read, so exactly one of them gets count 1.
  const won = await db.idempotencyRecord.updateMany({
    where: {
      id,
      status: "IN_PROGRESS",
      leaseVersion: seenLeaseVersion,
      OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
    },
    data: {
      lockedUntil: new Date(now.getTime() + cfg.leaseMs),
      leaseVersion: { increment: 1 },
      attempts: { increment: 1 },
    },
  });
  if (won.count !== 1) return null;
  // Race: if this read is slower than the lease we just won, a third attempt may take the record over (and
  // even finish it) in between. Reading by the version we won means we never adopt someone else's lease.
  return db.idempotencyRecord.findFirst({
    where: { id, leaseVersion: seenLeaseVersion + 1, status: "IN_PROGRESS" },
    select: ownerView,
  });
}

/** Transient failure: give the lease back at once (a retry may resume now), keep the recovery point. */
export async function releaseLease(db: Db, ref: { id: string; leaseVersion: number }, error: string): Promise<void> {
  await db.idempotencyRecord.updateMany({
    where: { id: ref.id, leaseVersion: ref.leaseVersion, status: "IN_PROGRESS" },
    data: { lockedUntil: null, lastError: error.slice(0, 500) },
  });
}

/**
 * A refusal found before any side effect (unknown product, not enough stock): the key must not keep it
 * as its final answer, so the record goes. Conditional, so it never deletes a record that moved on.
 */
export async function abandonUnstarted(db: Db, ref: { id: string; leaseVersion: number }): Promise<boolean> {
  const gone = await db.idempotencyRecord.deleteMany({
    where: { id: ref.id, leaseVersion: ref.leaseVersion, status: "IN_PROGRESS", recoveryPoint: STARTED },
  });
  return gone.count === 1;
}

/** TTL sweep: completed records past expiresAt go, and their keys may be used again as new. */
export async function sweepExpired(db: Db, now: Date = new Date()): Promise<number> {
  const swept = await db.idempotencyRecord.deleteMany({ where: { status: "COMPLETED", expiresAt: { lte: now } } });
  return swept.count;
}
