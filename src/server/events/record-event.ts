import { rowId } from "@/server/lib/row-id";
import type { SqlClient } from "@/server/lib/sql";
import { observeRequestEvent } from "@/server/metrics/observe";
import { eventRow } from "./event-writer";
import type { RequestEventInput } from "./request-event";

const INSERT_EVENT = `INSERT INTO "RequestEvent" ("id", "createdAt", "userId", "operation", "key", "recordId", "outcome",
  "httpStatus", "reason", "attempt", "latencyMs", "amountCents") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

/**
 * A first execution's event, written by the phase that completes its record: the event is durable exactly
 * when the result is, and costs no commit of its own.
 */
export async function recordEventIn(tx: SqlClient, event: RequestEventInput): Promise<void> {
  const row = eventRow(event);
  await tx.run(INSERT_EVENT, [
    rowId(),
    row.createdAt,
    row.userId,
    row.operation,
    row.key,
    row.recordId,
    row.outcome,
    row.httpStatus,
    row.reason,
    row.attempt,
    row.latencyMs,
    row.amountCents,
  ]);
  observeRequestEvent(event);
}
