import { rowId } from "@/server/lib/row-id";
import { type SqlClient, valueRows } from "@/server/lib/sql";
import { jobTypes } from "./types";

const INSERT_JOBS = `INSERT INTO "Job" ("id", "orderId", "type", "state", "runAfter", "leaseVersion", "attempts", "absorbed",
  "tokensSaved", "createdAt", "updatedAt") VALUES ${valueRows(jobTypes.length, 11)}`;

/**
 * The transactional outbox: called inside the order's final transaction, so the jobs commit with the
 * PAID order or not at all (no job is lost, none exists without its order). That transaction commits at
 * most once per order (it is fenced by the idempotency lease and Payment.orderId is unique); Job's unique
 * (orderId, type) is the database's own guarantee on top.
 */
export async function enqueueOrderJobs(tx: SqlClient, orderId: string): Promise<void> {
  const now = new Date();
  await tx.run(
    INSERT_JOBS,
    jobTypes.flatMap((type) => [rowId(), orderId, type, "PENDING", now, 0, 0, 0, 0, now, now]),
  );
}
