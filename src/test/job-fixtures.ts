import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { type Db, sqlOf } from "@/server/db";
import { enqueueOrderJobs } from "@/server/jobs/enqueue";
import { reviewRequestOf } from "@/server/jobs/review-content";
import { type JobWorker, MODEL_VERSION } from "@/server/jobs/worker";

export type Line = { productId: string; quantity: number };

/**
 * A PAID order with its jobs, written the way checkout's final transaction writes them (order and
 * outbox in one transaction), without going through payment: for tests of the workers alone.
 */
export async function paidOrderWithJobs(db: Db, userName: string, items: Line[]): Promise<string> {
  const user = await db.user.upsert({
    where: { nameKey: userName },
    create: { name: userName, nameKey: userName },
    update: {},
  });
  const products = await db.product.findMany({ where: { id: { in: items.map((i) => i.productId) } } });
  const lines = items.map((i) => ({
    ...i,
    unitPriceCents: products.find((p) => p.id === i.productId)?.priceCents ?? 100,
  }));
  const order = await db.order.create({
    data: {
      userId: user.id,
      status: "PAID",
      totalCents: lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0),
      paymentToken: "tok_visa",
      intentHash: randomBytes(8).toString("hex"),
      items: { create: lines },
    },
    select: { id: true },
  });
  await enqueueOrderJobs(sqlOf(db), order.id);
  return order.id;
}

export const uniqueUser = (prefix = "jobs") => `${prefix}-${randomBytes(5).toString("hex")}`;

/** The fraud review's content hash of an order, as the worker computes it (its model idempotency key). */
export async function reviewHashOf(db: Db, orderId: string): Promise<string> {
  return (await reviewRequestOf(db, orderId, MODEL_VERSION)).contentHash;
}

/** The external effects of one order's jobs: e-mails in the mailer's ledger, billed calls in the model's. */
export async function effectsOf(db: Db, orderId: string) {
  const hash = await reviewHashOf(db, orderId);
  const [emails, modelCalls] = await Promise.all([
    db.sentEmail.count({ where: { subject: { contains: orderId } } }),
    db.modelCall.count({ where: { requestKey: hash } }),
  ]);
  return { emails, modelCalls };
}

/** True when no job is waiting or running (everything SUCCEEDED or DEAD). */
export const settled = async (db: Db) =>
  (await db.job.count({ where: { state: { in: ["PENDING", "RUNNING"] } } })) === 0;

/** Runs the worker's passes until every job is SUCCEEDED or DEAD (lease expiries and back-offs included). */
export const drainJobs = (db: Db, worker: JobWorker) =>
  expect
    .poll(
      async () => {
        await worker.runOnce();
        return settled(db);
      },
      { timeout: 15_000, interval: 20 },
    )
    .toBe(true);
