import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobsStats } from "@/server/admin/jobs-stats";
import { effectsOf, paidOrderWithJobs, settled, uniqueUser } from "@/test/job-fixtures";
import { spawnWorker, type WorkerProcess } from "@/test/spawn-worker";
import { createTestDatabase, type TestDatabase } from "@/test/test-db";

/** Workers as separate processes (`npm run worker`) against one PostgreSQL database, as in production. */
describe("job worker processes on postgresql", () => {
  let t: TestDatabase;
  const running: WorkerProcess[] = [];
  beforeAll(async () => {
    t = await createTestDatabase("postgresql");
  });
  afterAll(async () => {
    await Promise.all(running.map((w) => w.stop()));
    await t?.drop();
  });
  const start = (args: string[]) => {
    const w = spawnWorker(t.url, args);
    running.push(w);
    return w;
  };
  const allSettled = (timeout = 60_000) => expect.poll(() => settled(t.db), { timeout, interval: 100 }).toBe(true);

  it("two worker processes under load never run a delivery twice (defences off: nothing would absorb it)", async () => {
    const N = 60;
    const workers = [0, 1].map(() => start(["--no-defences", "--batch", "4", "--interval-ms", "20"]));
    await Promise.all(workers.map((w) => w.ready));
    // Orders arrive while both are polling, as checkouts would.
    const orders: string[] = [];
    for (let i = 0; i < N; i++) {
      orders.push(await paidOrderWithJobs(t.db, uniqueUser("proc"), [{ productId: "espresso-beans", quantity: 1 }]));
    }
    await allSettled();
    await Promise.all(workers.map((w) => w.stop()));

    const jobs = await t.db.job.findMany({ where: { orderId: { in: orders } } });
    expect(jobs).toHaveLength(2 * N);
    expect(jobs.every((j) => j.state === "SUCCEEDED" && j.attempts === 1)).toBe(true);
    // Both processes did work, and the ledgers hold exactly one e-mail and one billed call per order.
    expect(new Set(jobs.map((j) => j.lockedBy)).size).toBe(2);
    const stats = await jobsStats(t.db);
    expect(stats.emailsSent).toBe(N);
    expect(stats.modelCalls).toBe(N);
  });

  it("a worker process killed mid-job (SIGKILL after the effect) is recovered by another after lease expiry", async () => {
    const orderId = await paidOrderWithJobs(t.db, uniqueUser("killed"), [{ productId: "green-tea", quantity: 3 }]);
    const doomed = start(["--die-mid-job", "--batch", "1", "--lease-ms", "500", "--interval-ms", "20"]);
    expect(await doomed.exited).toBe("SIGKILL");
    const held = await t.db.job.findFirstOrThrow({ where: { orderId, state: "RUNNING" } });
    expect(held.attempts).toBe(1);

    const rescuer = start(["--interval-ms", "50"]);
    await allSettled(20_000);
    await rescuer.stop();
    expect(await t.db.job.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({
      state: "SUCCEEDED",
      attempts: 2,
    });
    expect(await effectsOf(t.db, orderId)).toEqual({ emails: 1, modelCalls: 1 });
  });
});
