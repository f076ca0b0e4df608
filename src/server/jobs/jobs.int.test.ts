import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobsStats } from "@/server/admin/jobs-stats";
import { type JobFault, jobFaultHooks } from "@/server/demo/job-faults";
import { undefendedHandlers } from "@/server/demo/undefended-jobs";
import { drainJobs, effectsOf, paidOrderWithJobs, reviewHashOf, uniqueUser } from "@/test/job-fixtures";
import { createTestDatabase, providers, type TestDatabase } from "@/test/test-db";
import { redeliver } from "./lease";
import { type ClaimedJob, JobType } from "./types";
import { createJobWorker, type JobWorker, type JobWorkerOptions } from "./worker";

const LEASE_MS = 300;
const fast: JobWorkerOptions = { leaseMs: LEASE_MS, backoff: { baseMs: 5, capMs: 20 }, modelLatencyMs: 0 };

describe.each(providers)("at-least-once jobs on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(() => t?.drop());

  const worker = (options: JobWorkerOptions = {}) => createJobWorker(t.db, { ...fast, ...options });
  /** A worker with the demo's job fault chosen per delivery. */
  const faulty = (faults: (job: ClaimedJob) => JobFault | null, options: JobWorkerOptions = {}) =>
    worker({ ...options, hooks: jobFaultHooks(faults) });
  /** The consumers with their defences off (src/server/demo/undefended-jobs.ts). */
  const undefended = (options: JobWorkerOptions = {}) => worker({ ...options, handlers: undefendedHandlers });
  /** Runs passes until every job is SUCCEEDED or DEAD (lease expiries and back-offs included). */
  const drain = (w: JobWorker) => drainJobs(t.db, w);
  const jobOf = (orderId: string, type: string) =>
    t.db.job.findUniqueOrThrow({ where: { orderId_type: { orderId, type } } });
  /** Faults only on the first delivery of the given job type. */
  const onFirst =
    (type: string, fault: JobFault) =>
    (job: ClaimedJob): JobFault | null =>
      job.type === type && job.attempts === 1 ? fault : null;

  it("delivers each job of an order once: one e-mail, one billed review", async () => {
    const orderId = await paidOrderWithJobs(t.db, uniqueUser(), [{ productId: "ceramic-mug", quantity: 1 }]);
    await drain(worker());
    expect(await effectsOf(t.db, orderId)).toEqual({ emails: 1, modelCalls: 1 });
    for (const type of [JobType.SEND_CONFIRMATION, JobType.FRAUD_REVIEW]) {
      expect(await jobOf(orderId, type)).toMatchObject({ state: "SUCCEEDED", attempts: 1, absorbed: 0 });
    }
    expect(await t.db.processedJob.count({ where: { effectKey: { endsWith: orderId } } })).toBe(2);
  });

  it.each([JobType.SEND_CONFIRMATION, JobType.FRAUD_REVIEW])(
    "redelivering %s after it succeeded changes nothing (absorbed by the inbox)",
    async (type) => {
      const orderId = await paidOrderWithJobs(t.db, uniqueUser(), [{ productId: "green-tea", quantity: 2 }]);
      const w = worker();
      await drain(w);
      const job = await jobOf(orderId, type);
      const processed = await t.db.processedJob.findMany({ where: { effectKey: { endsWith: orderId } } });
      for (let i = 0; i < 3; i++) {
        expect(await redeliver(t.db, job.id)).toBe(true);
        await drain(w);
      }
      expect(await effectsOf(t.db, orderId)).toEqual({ emails: 1, modelCalls: 1 });
      expect(await jobOf(orderId, type)).toMatchObject({ state: "SUCCEEDED", attempts: 4, absorbed: 3 });
      expect(await t.db.processedJob.findMany({ where: { effectKey: { endsWith: orderId } } })).toEqual(processed);
      if (type === JobType.FRAUD_REVIEW) {
        const review = await t.db.fraudReview.findUniqueOrThrow({
          where: { contentHash: await reviewHashOf(t.db, orderId) },
        });
        expect((await jobOf(orderId, type)).tokensSaved).toBe(3 * review.tokens);
      }
    },
  );

  it.each([JobType.SEND_CONFIRMATION, JobType.FRAUD_REVIEW])(
    "a worker that dies mid-%s (effect made, not saved) is recovered by lease expiry, effect once",
    async (type) => {
      const orderId = await paidOrderWithJobs(t.db, uniqueUser(), [{ productId: "hand-grinder", quantity: 1 }]);
      const dying = faulty(onFirst(type, "crash-before-save"));
      const first = await dying.runOnce();
      expect(first.crashed).toBe(1);
      // The dead delivery still holds its lease: nobody may take it before the lease expires.
      expect(await jobOf(orderId, type)).toMatchObject({ state: "RUNNING", attempts: 1 });
      const rescuer = worker();
      expect((await rescuer.runOnce()).claimed).toBe(0);
      await drain(rescuer);
      expect(await jobOf(orderId, type)).toMatchObject({ state: "SUCCEEDED", attempts: 2 });
      // The external effect happened in the dead delivery; the redelivery got it back by key, not a second one.
      expect(await effectsOf(t.db, orderId)).toEqual({ emails: 1, modelCalls: 1 });
    },
  );

  it("a model timeout after billing is retried with back-off and billed once", async () => {
    const orderId = await paidOrderWithJobs(t.db, uniqueUser(), [{ productId: "milk-frother", quantity: 1 }]);
    await drain(faulty(onFirst(JobType.FRAUD_REVIEW, "model-timeout-after-billing")));
    const job = await jobOf(orderId, JobType.FRAUD_REVIEW);
    expect(job).toMatchObject({ state: "SUCCEEDED", attempts: 2 });
    expect(await effectsOf(t.db, orderId)).toEqual({ emails: 1, modelCalls: 1 });
    const call = await t.db.modelCall.findUniqueOrThrow({ where: { requestKey: await reviewHashOf(t.db, orderId) } });
    expect(job.tokensSaved).toBe(call.tokens);
  });

  it("a job failing on every delivery ends DEAD after N attempts and shows as a dead letter", async () => {
    const orderId = await paidOrderWithJobs(t.db, uniqueUser(), [{ productId: "travel-tumbler", quantity: 1 }]);
    const failing = (job: ClaimedJob): JobFault | null => (job.orderId === orderId ? "fail" : null);
    await drain(faulty(failing, { maxAttempts: 3 }));
    for (const type of [JobType.SEND_CONFIRMATION, JobType.FRAUD_REVIEW]) {
      const job = await jobOf(orderId, type);
      expect(job).toMatchObject({ state: "DEAD", attempts: 3 });
      expect(job.lastError).toContain("simulated fault");
    }
    expect(await effectsOf(t.db, orderId)).toEqual({ emails: 0, modelCalls: 0 });
    const stats = await jobsStats(t.db);
    expect(stats.byState.DEAD).toBeGreaterThanOrEqual(2);
    expect(stats.deadLetters.filter((d) => d.orderId === orderId)).toHaveLength(2);
  });

  it("a delivery that keeps dying on its last attempt is buried DEAD, not redelivered forever", async () => {
    const orderId = await paidOrderWithJobs(t.db, uniqueUser(), [{ productId: "pour-over-kettle", quantity: 1 }]);
    const crashing = (job: ClaimedJob): JobFault | null =>
      job.orderId === orderId && job.type === JobType.SEND_CONFIRMATION ? "crash-before-save" : null;
    await drain(faulty(crashing, { maxAttempts: 2 }));
    const job = await jobOf(orderId, JobType.SEND_CONFIRMATION);
    expect(job).toMatchObject({ state: "DEAD", attempts: 2 });
    expect(job.lastError).toContain("lease expired");
    // Both dead deliveries sent "the" e-mail under the same message key: the shopper got one.
    expect((await effectsOf(t.db, orderId)).emails).toBe(1);
  });

  it("token spend equals one billed call per distinct review (equal orders hit the cache)", async () => {
    const spentBefore = (await jobsStats(t.db)).tokensSpent;
    const alice = uniqueUser("alice");
    const bob = uniqueUser("bob");
    const requests: [string, number][] = [
      [alice, 1],
      [alice, 1], // equal content
      [alice, 2], // other amount
      [bob, 1], // other user
      [bob, 1], // equal to the previous
    ];
    const orders: string[] = [];
    for (const [user, quantity] of requests) {
      orders.push(await paidOrderWithJobs(t.db, user, [{ productId: "espresso-beans", quantity }]));
    }
    const hashes = new Set(await Promise.all(orders.map((o) => reviewHashOf(t.db, o))));
    expect(hashes.size).toBe(3);
    // Three workers at once, so equal orders may also race to the model: its key bills one of them.
    const workers = [worker(), worker(), worker()];
    await Promise.all(workers.map((w) => drain(w)));
    const calls = await t.db.modelCall.findMany({ where: { requestKey: { in: [...hashes] } } });
    expect(calls).toHaveLength(3);
    const reviews = await t.db.fraudReview.findMany({ where: { contentHash: { in: [...hashes] } } });
    expect(reviews).toHaveLength(3);
    const spent = (await jobsStats(t.db)).tokensSpent - spentBefore;
    expect(spent).toBe(reviews.reduce((s, r) => s + r.tokens, 0));
    for (const o of orders) expect((await jobOf(o, JobType.FRAUD_REVIEW)).state).toBe("SUCCEEDED");
  });

  it.each([true, false])(
    "four in-process workers under load never run a delivery twice (defences %s)",
    async (defences) => {
      const N = 40;
      const before = await jobsStats(t.db);
      const orders = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          paidOrderWithJobs(t.db, uniqueUser("load"), [{ productId: "almond-biscotti", quantity: 1 + (i % 3) }]),
        ),
      );
      // Long lease and no faults: any second delivery could only come from a broken claim. With the defences
      // off nothing would absorb it, so the ledgers count exactly what the claims let through.
      const workers = Array.from({ length: 4 }, () =>
        (defences ? worker : undefended)({ leaseMs: 30_000, batchSize: 5 }),
      );
      await Promise.all(workers.map((w) => drain(w)));
      const jobs = await t.db.job.findMany({ where: { orderId: { in: orders } } });
      expect(jobs).toHaveLength(2 * N);
      expect(jobs.every((j) => j.state === "SUCCEEDED" && j.attempts === 1 && j.leaseVersion === 1)).toBe(true);
      const after = await jobsStats(t.db);
      expect(after.emailsSent - before.emailsSent).toBe(N);
      expect(after.modelCalls - before.modelCalls).toBe(N);
      expect(after.redeliveriesAbsorbed - before.redeliveriesAbsorbed).toBe(0);
    },
  );

  it("without the defences a redelivery pays again (what the defences are worth)", async () => {
    const orderId = await paidOrderWithJobs(t.db, uniqueUser(), [{ productId: "cold-brew-jar", quantity: 1 }]);
    const w = undefended();
    await drain(w);
    const before = await jobsStats(t.db);
    await redeliver(t.db, (await jobOf(orderId, JobType.SEND_CONFIRMATION)).id);
    await redeliver(t.db, (await jobOf(orderId, JobType.FRAUD_REVIEW)).id);
    await drain(w);
    const after = await jobsStats(t.db);
    expect(after.emailsSent - before.emailsSent).toBe(1);
    expect(after.modelCalls - before.modelCalls).toBe(1);
  });
});
