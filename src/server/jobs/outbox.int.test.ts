import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlOf } from "@/server/db";
import { isUniqueViolation } from "@/server/lib/unique-violation";
import { recoverOnce } from "@/server/recovery-worker";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { query, signIn, uniqueName } from "@/test/http-client";
import { effectsOf, settled } from "@/test/job-fixtures";
import { providers } from "@/test/test-db";
import { enqueueOrderJobs } from "./enqueue";
import { createJobWorker } from "./worker";

const LEASE_MS = 300;

/** The outbox: jobs are written by checkout's final transaction, only for PAID orders, exactly once. */
describe.each(providers)("order jobs outbox on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(provider, { engine: { leaseMs: LEASE_MS } });
  });
  afterAll(() => h?.close());

  const jobTypesOf = async (orderId: string) =>
    (await h.db.job.findMany({ where: { orderId }, select: { type: true }, orderBy: { type: "asc" } })).map(
      (j) => j.type,
    );

  it("a PAID order commits with its two jobs; replays of the key add none", async () => {
    const cookie = await h.shopper("outbox");
    const key = newKey();
    const body = order([{ productId: "ceramic-mug", quantity: 1 }]);
    const first = await placeOrder(h, cookie, key, body);
    expect(first.status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await placeOrder(h, cookie, key, body)).status).toBe(200);
    expect(await jobTypesOf(first.data.orderId)).toEqual(["fraud-review", "send-confirmation"]);

    const worker = createJobWorker(h.db, { modelLatencyMs: 0 });
    await expect
      .poll(async () => {
        await worker.runOnce();
        return settled(h.db);
      })
      .toBe(true);
    expect(await effectsOf(h.db, first.data.orderId)).toEqual({ emails: 1, modelCalls: 1 });
  });

  it("admin.jobs reports the jobs to admins only", async () => {
    expect((await query(h.url, "admin.jobs", undefined)).status).toBe(401);
    expect((await query(h.url, "admin.jobs", undefined, { cookie: await h.shopper() })).status).toBe(403);
    const admin = await signIn(h.url, uniqueName("admin"), "test-admin");
    const res = await query(h.url, "admin.jobs", undefined, { cookie: admin });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ emailsSent: 1, modelCalls: 1, redeliveriesAbsorbed: 0 });
    expect(res.data.byState.SUCCEEDED).toBe(2);
    expect(res.data.tokensWithoutDefences).toBe(res.data.tokensSpent);
  });

  it("a declined order gets no jobs", async () => {
    const cookie = await h.shopper("declined");
    const res = await placeOrder(h, cookie, newKey(), order([{ productId: "green-tea", quantity: 1 }], "tok_declined"));
    expect(res.status).toBe(201);
    expect(res.data.status).toBe("PAYMENT_FAILED");
    expect(await jobTypesOf(res.data.orderId)).toEqual([]);
  });

  it("a checkout that died after the charge gets its jobs once, from whoever finishes it", async () => {
    const cookie = await h.shopper("crashed");
    const key = newKey();
    const body = order([{ productId: "cold-brew-jar", quantity: 1 }]);
    expect((await placeOrder(h, cookie, key, body, { "X-Fault": "crash-after-charge" })).status).toBe(502);
    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    const pending = await h.db.order.findUniqueOrThrow({ where: { idempotencyRecordId: record.id } });
    // No jobs while the order is not PAID: nothing is sent for a checkout that may still fail.
    expect(await jobTypesOf(pending.id)).toEqual([]);
    await expect.poll(async () => (await recoverOnce(h.services)).recovered, { timeout: 10_000, interval: 50 }).toBe(1);
    // The shopper's retry, and more retries, replay the recovered result; the jobs stay two.
    for (let i = 0; i < 2; i++) expect((await placeOrder(h, cookie, key, body)).status).toBe(200);
    expect(await jobTypesOf(pending.id)).toEqual(["fraud-review", "send-confirmation"]);
  });

  it("jobs never exist without their order: the outbox rolls back with the transaction", async () => {
    const someOrder = await h.db.order.findFirstOrThrow({ where: { status: "PAID" }, select: { id: true } });
    const before = await h.db.job.count();
    await expect(
      sqlOf(h.db).transaction(async (tx) => {
        await enqueueOrderJobs(tx, someOrder.id);
        throw new Error("unreachable: the unique (orderId, type) refuses a second set");
      }),
    ).rejects.toSatisfy(isUniqueViolation);
    await expect(
      sqlOf(h.db).transaction(async (tx) => {
        await enqueueOrderJobs(tx, "no-such-order");
      }),
    ).rejects.toThrow();
    expect(await h.db.job.count()).toBe(before);
  });
});
