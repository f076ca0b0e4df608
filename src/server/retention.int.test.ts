import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stats } from "@/server/admin/stats";
import { paidOrderWithJobs, uniqueUser } from "@/test/job-fixtures";
import { createTestDatabase, providers, type TestDatabase } from "@/test/test-db";
import { retentionCutoff, sweepRetention } from "./retention";

const DAY = 24 * 60 * 60 * 1000;

/**
 * The retention sweep deletes old events, finished jobs, inbox rows and simulator ledgers in batches,
 * and nothing an idempotency record may still need; the dashboard's windows keep counting what is left.
 */
describe.each(providers)("retention sweep on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(() => t?.drop());

  it("deletes only what is past retention and no longer needed, a batch per table per pass", async () => {
    const now = Date.now();
    const old = new Date(now - 30 * DAY);
    const cutoff = retentionCutoff(now, 14);
    const db = t.db;

    const event = (createdAt: Date) => ({
      operation: "checkout.placeOrder",
      outcome: "EXECUTED" as const,
      httpStatus: 201,
      createdAt,
    });
    await db.requestEvent.createMany({ data: [...Array(5)].map(() => event(old)) });
    await db.requestEvent.createMany({ data: [event(new Date()), event(new Date())] });

    // One finished job (goes, with its inbox row) and one still pending (stays, with its inbox row).
    const orderId = await paidOrderWithJobs(db, uniqueUser("retention"), [{ productId: "ceramic-mug", quantity: 1 }]);
    const [finished, pending] = await db.job.findMany({ where: { orderId }, orderBy: { type: "asc" } });
    if (!finished || !pending) throw new Error("expected two jobs");
    await db.job.update({ where: { id: finished.id }, data: { state: "SUCCEEDED", completedAt: old } });
    await db.$executeRaw`UPDATE "Job" SET "updatedAt" = ${old} WHERE "orderId" = ${orderId}`;
    for (const job of [finished, pending]) {
      await db.processedJob.create({
        data: { effectKey: `${job.id}:effect`, jobId: job.id, type: job.type, resultJson: "{}", createdAt: old },
      });
    }

    await db.sentEmail.createMany({
      data: [
        { id: randomUUID(), to: "a@x", subject: "s", body: "b", createdAt: old },
        { id: randomUUID(), to: "a@x", subject: "s", body: "b" },
      ],
    });
    await db.modelCall.createMany({
      data: [old, new Date()].map((createdAt) => ({
        id: randomUUID(),
        model: "m",
        inputHash: "h",
        promptTokens: 1,
        completionTokens: 1,
        tokens: 2,
        costMicros: 1,
        resultJson: "{}",
        createdAt,
      })),
    });

    // Two old charges: one of a record still in progress (it may resume at PAYMENT_CHARGED and ask the
    // provider for it), one of a completed record.
    const user = await db.user.create({ data: { name: uniqueUser("charges") } });
    const record = (status: "IN_PROGRESS" | "COMPLETED") =>
      db.idempotencyRecord.create({
        data: {
          userId: user.id,
          key: randomUUID(),
          operation: "checkout.placeOrder",
          fingerprint: "f",
          requestJson: "{}",
          status,
          recoveryPoint: status === "IN_PROGRESS" ? "PAYMENT_CHARGED" : "FINISHED",
          expiresAt: new Date(now + DAY),
          createdAt: old,
        },
      });
    const inProgress = await record("IN_PROGRESS");
    const completed = await record("COMPLETED");
    const charge = (providerKey: string, createdAt: Date) => ({
      id: randomUUID(),
      providerKey,
      paramsHash: "p",
      amountCents: 100,
      token: "tok_visa",
      status: "SUCCEEDED" as const,
      createdAt,
    });
    await db.providerCharge.createMany({
      data: [
        charge(`${inProgress.id}:charge`, old),
        charge(`${completed.id}:charge`, old),
        charge(`${randomUUID()}:charge`, new Date()),
      ],
    });
    const recordsBefore = await db.idempotencyRecord.count();
    const ordersBefore = await db.order.count();

    const first = await sweepRetention(db, { olderThan: cutoff, batch: 2 });
    expect(first).toEqual({ events: 2, jobs: 1, inbox: 1, emails: 1, modelCalls: 1, charges: 1 });
    // Passes drain the backlog, a batch at a time, and then find nothing.
    const passes = [first];
    while (Object.values(passes.at(-1) ?? {}).some((n) => n > 0)) {
      passes.push(await sweepRetention(db, { olderThan: cutoff, batch: 2 }));
    }
    expect(passes.reduce((sum, p) => sum + p.events, 0)).toBe(5);

    expect(await db.requestEvent.count()).toBe(2);
    expect((await db.job.findMany({ where: { orderId } })).map((j) => j.id)).toEqual([pending.id]);
    expect((await db.processedJob.findMany()).map((p) => p.jobId)).toEqual([pending.id]);
    expect(await db.sentEmail.count()).toBe(1);
    expect(await db.modelCall.count()).toBe(1);
    expect(
      (await db.providerCharge.findMany({ where: { createdAt: { lt: cutoff } } })).map((c) => c.providerKey),
    ).toEqual([`${inProgress.id}:charge`]);
    expect(await db.providerCharge.count()).toBe(2);
    expect(await db.idempotencyRecord.count()).toBe(recordsBefore);
    expect(await db.order.count()).toBe(ordersBefore);

    // The dashboard's windows still count the recent events.
    expect((await stats(db, { window: "1h" })).keyedRequests).toBe(2);
    expect((await stats(db, { window: "all" })).keyedRequests).toBe(2);
  });
});
