import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createJobWorker, type JobWorker } from "@/server/jobs/worker";
import { type Harness, startHarness } from "@/test/app-harness";
import { call, query, signIn, uniqueName } from "@/test/http-client";
import { drainJobs, effectsOf, paidOrderWithJobs, uniqueUser } from "@/test/job-fixtures";
import { providers } from "@/test/test-db";
import { jobFaultSwitch } from "./job-faults";

/** The dashboard's job faults, over HTTP: who may use them, what they accept, and what they really do. */
describe.each(providers)("demo job faults over HTTP on %s", (provider) => {
  let h: Harness;
  let admin = "";
  beforeAll(async () => {
    h = await startHarness(provider);
    admin = await signIn(h.url, uniqueName("admin"), "test-admin");
  });
  afterAll(() => h?.close());
  afterEach(() => {
    jobFaultSwitch().arm(null);
  });

  // The in-app worker's wiring: the switch's hooks are its delivery hooks.
  const worker = () =>
    createJobWorker(h.db, {
      leaseMs: 300,
      backoff: { baseMs: 5, capMs: 20 },
      modelLatencyMs: 0,
      hooks: jobFaultSwitch().hooks,
    });
  const drain = (w: JobWorker) => drainJobs(h.db, w);
  const jobRows = () => h.db.job.findMany({ orderBy: { id: "asc" } });

  it("redeliverJobs puts the newest succeeded jobs back and the consumers absorb every one", async () => {
    const orders = await Promise.all(
      [1, 2, 3].map((quantity) => paidOrderWithJobs(h.db, uniqueUser(), [{ productId: "green-tea", quantity }])),
    );
    const w = worker();
    await drain(w);
    const before = (await query(h.url, "admin.jobs", undefined, { cookie: admin })).data;

    const res = await call(h.url, "admin.redeliverJobs", { limit: 4 }, { cookie: admin });
    expect(res.status).toBe(200);
    expect(res.data.redelivered).toHaveLength(4);
    expect(await h.db.job.count({ where: { state: "PENDING" } })).toBe(4);
    await drain(w);

    const after = (await query(h.url, "admin.jobs", undefined, { cookie: admin })).data;
    expect(after.redeliveriesAbsorbed - before.redeliveriesAbsorbed).toBe(4);
    expect(after.emailsSent).toBe(before.emailsSent);
    expect(after.modelCalls).toBe(before.modelCalls);
    expect(after.tokensSpent).toBe(before.tokensSpent);
    for (const orderId of orders) expect(await effectsOf(h.db, orderId)).toEqual({ emails: 1, modelCalls: 1 });
  });

  it("armJobFault crash-before-save: the next delivery dies after its effect, lease expiry recovers it once", async () => {
    const orderId = await paidOrderWithJobs(h.db, uniqueUser(), [{ productId: "ceramic-mug", quantity: 1 }]);
    const armed = await call(h.url, "admin.armJobFault", { fault: "crash-before-save" }, { cookie: admin });
    expect(armed.status).toBe(200);
    expect(armed.data.armed).toEqual({ fault: "crash-before-save", remaining: 1 });
    expect((await query(h.url, "admin.jobs", undefined, { cookie: admin })).data.armedFault).toEqual(armed.data.armed);

    const w = worker();
    const first = await w.runOnce();
    expect(first.crashed).toBe(1);
    expect((await query(h.url, "admin.jobs", undefined, { cookie: admin })).data.armedFault).toBeNull();
    await drain(w);

    expect(await effectsOf(h.db, orderId)).toEqual({ emails: 1, modelCalls: 1 });
    const jobs = await h.db.job.findMany({ where: { orderId } });
    expect(jobs.map((j) => j.state)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(jobs.reduce((n, j) => n + j.attempts, 0)).toBe(3);
  });

  it("a shopper gets 403 and changes nothing", async () => {
    const shopper = await h.shopper();
    const jobs = await jobRows();
    expect((await call(h.url, "admin.redeliverJobs", { limit: 5 }, { cookie: shopper })).status).toBe(403);
    const arm = await call(h.url, "admin.armJobFault", { fault: "fail" }, { cookie: shopper });
    expect(arm.status).toBe(403);
    expect(arm.error.data.reason).toBe("FORBIDDEN");
    expect(await jobRows()).toEqual(jobs);
    expect(jobFaultSwitch().armed()).toBeNull();
  });

  it.each([
    ["admin.redeliverJobs", { limit: 0 }],
    ["admin.redeliverJobs", { limit: 101 }],
    ["admin.redeliverJobs", { limit: 2.5 }],
    ["admin.redeliverJobs", { limit: 5, extra: true }],
    ["admin.armJobFault", { fault: "explode" }],
    ["admin.armJobFault", { fault: "fail", deliveries: 0 }],
    ["admin.armJobFault", { fault: "fail", deliveries: 21 }],
    ["admin.armJobFault", {}],
  ])("%s rejects %j with 400 and changes nothing", async (path, input) => {
    await paidOrderWithJobs(h.db, uniqueUser(), [{ productId: "ceramic-mug", quantity: 1 }]);
    await drain(worker());
    const jobs = await jobRows();
    const res = await call(h.url, path, input, { cookie: admin });
    expect(res.status).toBe(400);
    expect(res.error.data.reason).toBe("INVALID_INPUT");
    expect(await jobRows()).toEqual(jobs);
    expect(jobFaultSwitch().armed()).toBeNull();
  });
});

describe("demo job faults without DEMO_FAULTS", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness("sqlite", { faultsEnabled: false });
  });
  afterAll(() => h?.close());

  it("answer 404 like missing procedures, and admin.jobs shows no armed fault", async () => {
    const admin = await signIn(h.url, uniqueName("admin"), "test-admin");
    // Armed by hand in this process: a server without DEMO_FAULTS must neither show nor change it.
    jobFaultSwitch().arm("model-timeout-after-billing", 2);
    for (const [path, input] of [
      ["admin.redeliverJobs", { limit: 5 }],
      ["admin.armJobFault", { fault: "fail" }],
    ] as const) {
      const res = await call(h.url, path, input, { cookie: admin });
      expect(res.status).toBe(404);
      expect(res.error.data.reason).toBe("NOT_FOUND");
    }
    expect(jobFaultSwitch().armed()).toEqual({ fault: "model-timeout-after-billing", remaining: 2 });
    expect((await query(h.url, "admin.jobs", undefined, { cookie: admin })).data.armedFault).toBeNull();
    jobFaultSwitch().arm(null);
  });
});
