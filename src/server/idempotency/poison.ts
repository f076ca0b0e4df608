import type { Db, Tx } from "@/server/db";
import { DomainError } from "@/server/errors";
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
  abandon?: (tx: Tx, recordId: string) => Promise<void>,
): Promise<DomainError | null> {
  return db.$transaction(async (tx) => {
    // Race: a stale attempt (lease lost) must not count or abandon: conditional on the lease version it holds.
    const counted = await tx.idempotencyRecord.updateMany({
      where: { id: record.id, leaseVersion: record.leaseVersion, status: "IN_PROGRESS" },
      data: { failures: { increment: 1 }, lockedUntil: null, lastError: error.slice(0, 500) },
    });
    if (counted.count !== 1) return null;
    const { failures } = await tx.idempotencyRecord.findUniqueOrThrow({
      where: { id: record.id },
      select: { failures: true },
    });
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
    await tx.idempotencyRecord.update({
      where: { id: record.id },
      data: {
        status: "COMPLETED",
        recoveryPoint: ABANDONED,
        lockedUntil: null,
        // Final: the record gives up its claim on the intent, like a completed one (see intentClaim).
        intentClaim: null,
        responseStatus: response.status,
        responseJson: JSON.stringify(response.body),
      },
    });
    await abandon?.(tx, record.id);
    return storedRefusal(response, record.id);
  });
}
