import type { Db, Tx } from "@/server/db";
import type { Json } from "@/server/idempotency/types";
import type { ClaimedJob } from "./types";

/** One effect per (job type, order): what a redelivery of the same job looks for. */
export const effectKeyOf = (job: Pick<ClaimedJob, "type" | "orderId">): string => `${job.type}:${job.orderId}`;

export async function findProcessed(db: Db, effectKey: string): Promise<Json | null> {
  const row = await db.processedJob.findUnique({ where: { effectKey }, select: { resultJson: true } });
  return row ? (JSON.parse(row.resultJson) as Json) : null;
}

/**
 * Records the effect in the inbox, inside the transaction that completes the job. ProcessedJob.effectKey is
 * unique, so even two deliveries that both passed the inbox check cannot both commit the effect.
 */
export async function recordProcessed(tx: Tx, job: ClaimedJob, result: Json): Promise<void> {
  await tx.processedJob.create({
    data: { effectKey: effectKeyOf(job), jobId: job.id, type: job.type, resultJson: JSON.stringify(result) },
  });
}
