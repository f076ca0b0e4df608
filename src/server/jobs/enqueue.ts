import type { Tx } from "@/server/db";
import { jobTypes } from "./types";

/**
 * The transactional outbox: called inside the order's final transaction, so the jobs commit with the
 * PAID order or not at all (no job is lost, none exists without its order). That transaction commits at
 * most once per order (it is fenced by the idempotency lease and Payment.orderId is unique); Job's unique
 * (orderId, type) is the database's own guarantee on top.
 */
export async function enqueueOrderJobs(tx: Tx, orderId: string): Promise<void> {
  await tx.job.createMany({ data: jobTypes.map((type) => ({ orderId, type })) });
}
