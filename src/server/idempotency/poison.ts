import { type Db, sqlOf } from "@/server/db";
import { DomainError } from "@/server/errors";
import type { SqlClient } from "@/server/lib/sql";
import type { RecordRef } from "./record-store";
import { ABANDONED, type EngineConfig, type Json, type StoredResponse } from "./types";

/** The stored body of a final refusal; replays turn it back into the same DomainError. */
type StoredRefusal = { refused: { reason: "RECOVERY_ABANDONED"; message: string; failures: number } };

const isStoredRefusal = (body: Json): body is StoredRefusal =>
  typeof body === "object" &&
  body !== null &&
  !Array.isArray(body) &&
  typeof body.refused === "object" &&
  body.refused !== null &&
  !Array.isArray(body.refused) &&
  body.refused.reason === "RECOVERY_ABANDONED";

/** A stored response that is a refusal (a poison record's final answer), as the error to send again. */
export function storedRefusal(response: StoredResponse, recordId: string): DomainError | null {
  if (response.status < 400 || !isStoredRefusal(response.body)) return null;
  const { reason, message, failures } = response.body.refused;
  return new DomainError(reason, message, { details: { recordId, failures } });
}

const COUNT_FAILURE = `UPDATE "IdempotencyRecord" SET "failures" = "failures" + 1, "lockedUntil" = NULL, "lastError" = $1,
  "updatedAt" = $2 WHERE "id" = $3 AND "leaseVersion" = $4 AND "status" = 'IN_PROGRESS' RETURNING "failures"`;
/** Final: the record gives up its claim on the intent, like a completed one (see intentClaim). */
const ABANDON = `UPDATE "IdempotencyRecord" SET "status" = 'COMPLETED', "recoveryPoint" = '${ABANDONED}', "lockedUntil" = NULL,
  "intentClaim" = NULL, "responseStatus" = $1, "responseJson" = $2, "updatedAt" = $3 WHERE "id" = $4`;

/**
 * A resumption failed for a non-transient reason: counts it and gives the lease back; at the configured
 * number of failures the record becomes final instead (status COMPLETED at ABANDONED, with a stored
 * refusal that every retry replays) and the operation undoes its local writes in the same transaction.
 * Returns the refusal when this call abandoned the record.
 */
export async function countFailure(
  db: Db,
  cfg: EngineConfig,
  record: RecordRef,
  error: string,
  abandon?: (tx: SqlClient, recordId: string) => Promise<void>,
): Promise<DomainError | null> {
  return sqlOf(db).transaction(async (tx) => {
    // Race: a stale attempt (lease lost) must not count or abandon: conditional on the lease version it holds.
    const [counted] = await tx.rows<{ failures: number }>(COUNT_FAILURE, [
      error.slice(0, 500),
      new Date(),
      record.id,
      record.leaseVersion,
    ]);
    if (!counted) return null;
    const { failures } = counted;
    if (failures < cfg.maxFailures) return null;
    const response: StoredResponse = {
      status: 500,
      body: {
        refused: {
          reason: "RECOVERY_ABANDONED",
          message: `this request failed ${failures} times while being resumed and was abandoned; use a new key to try again`,
          failures,
        },
      },
    };
    await tx.run(ABANDON, [response.status, JSON.stringify(response.body), new Date(), record.id]);
    await abandon?.(tx, record.id);
    return storedRefusal(response, record.id);
  });
}
