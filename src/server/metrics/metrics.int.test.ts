import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { jobFaultHooks } from "@/server/demo/job-faults";
import { createJobWorker, type JobWorkerOptions } from "@/server/jobs/worker";
import { recoverOnce } from "@/server/recovery-worker";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { call, signIn, uniqueName } from "@/test/http-client";
import { drainJobs, paidOrderWithJobs, uniqueUser } from "@/test/job-fixtures";
import { providers } from "@/test/test-db";
import { handleMetricsRequest } from "./http";

const TOKEN = "metrics-test-token";

/** The value of one sample line of the Prometheus text format (0 when absent). */
const sample = (text: string, name: string, labels = ""): number => {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ""} `));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
};

function serveMetrics(h: Harness, token: string | null): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: (req) => handleMetricsRequest(req, { db: h.db, token }), port: 0, hostname: "127.0.0.1" },
      (info) => {
        const { port } = info as AddressInfo;
        resolve({
          url: `http://127.0.0.1:${port}/api/metrics`,
          close: () => new Promise((done) => server.close(() => done())),
        });
      },
    );
  });
}

describe.each(providers)("/api/metrics on %s", (provider) => {
  let h: Harness;
  let protectedEndpoint: { url: string; close: () => Promise<void> };
  let openEndpoint: { url: string; close: () => Promise<void> };
  const scrape = async () => {
    const res = await fetch(protectedEndpoint.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    h = await startHarness(provider, { engine: { leaseMs: 300 } });
    protectedEndpoint = await serveMetrics(h, TOKEN);
    openEndpoint = await serveMetrics(h, null);
  });
  afterAll(async () => {
    await protectedEndpoint?.close();
    await openEndpoint?.close();
    await h?.close();
  });

  it("refuses a scrape without the bearer token, or with a wrong one, when a token is configured", async () => {
    const none = await fetch(protectedEndpoint.url);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const wrong = await fetch(protectedEndpoint.url, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    expect((await fetch(openEndpoint.url)).status).toBe(200);
  });

  it("serves the Prometheus text format with every checkout metric", async () => {
    const res = await fetch(protectedEndpoint.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of [
      "checkout_keyed_requests_total",
      "checkout_execution_latency_seconds",
      "checkout_replay_latency_seconds",
      "checkout_idempotency_records_in_progress",
      "checkout_recovery_worker_actions_total",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it("counts keyed requests by operation and outcome and observes execution and replay latency", async () => {
    const op = 'operation="checkout.placeOrder"';
    const before = await scrape();
    const cookie = await h.shopper();
    const key = newKey();
    expect((await placeOrder(h, cookie, key)).status).toBe(201);
    expect((await placeOrder(h, cookie, key)).status).toBe(200);
    expect((await placeOrder(h, cookie, key)).status).toBe(200);
    const after = await scrape();
    const delta = (name: string, labels: string) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta("checkout_keyed_requests_total", `${op},outcome="EXECUTED"`)).toBe(1);
    expect(delta("checkout_keyed_requests_total", `${op},outcome="REPLAYED"`)).toBe(2);
    expect(delta("checkout_execution_latency_seconds_count", op)).toBe(1);
    expect(delta("checkout_replay_latency_seconds_count", op)).toBe(2);
    expect(delta("checkout_replay_latency_seconds_bucket", `le="+Inf",${op}`)).toBe(2);
  });

  it("reads records in progress from the database and counts the recovery worker's actions", async () => {
    const cookie = await h.shopper();
    const crashed = await placeOrder(h, cookie, newKey(), order([{ productId: "green-tea", quantity: 1 }]), {
      "X-Fault": "crash-after-charge",
    });
    expect(crashed.status).toBeGreaterThanOrEqual(500);
    const during = await scrape();
    expect(sample(during, "checkout_idempotency_records_in_progress")).toBe(1);

    // The lease (300 ms here) must lapse before the worker may take the record over.
    await vi.waitFor(
      async () => {
        const report = await recoverOnce(h.services);
        expect(report.recovered).toBe(1);
      },
      { timeout: 10_000, interval: 100 },
    );
    const after = await scrape();
    expect(sample(after, "checkout_idempotency_records_in_progress")).toBe(0);
    expect(sample(after, "checkout_recovery_worker_actions_total", 'action="recovered"')).toBeGreaterThanOrEqual(
      sample(during, "checkout_recovery_worker_actions_total", 'action="recovered"') + 1,
    );
  });
  /** How much each sample moved between two scrapes. */
  const deltaOf =
    (before: string, after: string) =>
    (name: string, labels = "") =>
      sample(after, name, labels) - sample(before, name, labels);

  it("exposes the default process metrics under the one checkout_ prefix", async () => {
    const text = await scrape();
    expect(text).toContain("# TYPE checkout_process_cpu_seconds_total counter");
    expect(text).toContain("# TYPE checkout_nodejs_heap_size_used_bytes gauge");
    expect(text).not.toMatch(/checkout_process_process_|checkout_process_nodejs_/);
    expect(text.split("\n").filter((l) => l.startsWith("# TYPE ") && !l.startsWith("# TYPE checkout_"))).toEqual([]);
  });

  it("counts unkeyed unsafe calls in their own series, never as keyed requests", async () => {
    const op = 'operation="checkout.placeOrderUnsafe"';
    const cookie = await h.shopper("unsafe");
    const before = await scrape();
    const unsafe = await call(h.url, "checkout.placeOrderUnsafe", order([{ productId: "green-tea", quantity: 1 }]), {
      cookie,
    });
    expect(unsafe.status).toBe(201);
    const after = await scrape();
    const delta = deltaOf(before, after);
    expect(delta("checkout_unkeyed_requests_total", `${op},outcome="UNSAFE_EXECUTED"`)).toBe(1);
    expect(after).not.toMatch(/^checkout_keyed_requests_total\{operation="checkout\.placeOrderUnsafe"/m);
    expect(await h.db.requestEvent.count({ where: { operation: "checkout.placeOrderUnsafe", key: null } })).toBe(1);
  });

  it("counts a crashed attempt taken over apart from a transient failure resumed, as the events record them", async () => {
    const op = 'operation="checkout.placeOrder"';
    const cookie = await h.shopper("resume");
    const before = await scrape();
    const transientKey = newKey();
    const transientBody = order([{ productId: "ceramic-mug", quantity: 2 }]);
    expect((await placeOrder(h, cookie, transientKey, transientBody, { "X-Fault": "db-busy" })).status).toBe(503);
    expect((await placeOrder(h, cookie, transientKey, transientBody)).status).toBe(201);

    const crashKey = newKey();
    const crashBody = order([{ productId: "paper-filters", quantity: 1 }]);
    expect((await placeOrder(h, cookie, crashKey, crashBody, { "X-Fault": "crash-after-charge" })).status).toBe(502);
    // Retry like a client until the crashed attempt's lease (300 ms here) has lapsed and the retry takes over.
    await vi.waitFor(async () => expect((await placeOrder(h, cookie, crashKey, crashBody)).status).toBe(201), {
      timeout: 10_000,
      interval: 100,
    });
    const delta = deltaOf(before, await scrape());
    const events = await h.db.requestEvent.groupBy({
      by: ["outcome"],
      where: { key: { in: [transientKey, crashKey] }, outcome: { in: ["RESUMED", "RECOVERED"] } },
      _count: { _all: true },
    });
    expect(Object.fromEntries(events.map((e) => [e.outcome, e._count._all]))).toEqual({ RESUMED: 1, RECOVERED: 1 });
    expect(delta("checkout_keyed_requests_total", `${op},outcome="RESUMED"`)).toBe(1);
    expect(delta("checkout_keyed_requests_total", `${op},outcome="RECOVERED"`)).toBe(1);
  });

  it("counts job deliveries (claimed, succeeded, absorbed, retried, dead) and reads job states and tokens from the rows", async () => {
    const worker = (options: JobWorkerOptions = {}) =>
      createJobWorker(h.db, { leaseMs: 300, backoff: { baseMs: 5, capMs: 20 }, modelLatencyMs: 0, ...options });
    await drainJobs(h.db, worker()); // earlier tests' orders left jobs behind
    const admin = await signIn(h.url, uniqueName("admin"), "test-admin");

    // One order's two jobs, delivered once each.
    let before = await scrape();
    await paidOrderWithJobs(h.db, uniqueUser("metrics"), [{ productId: "green-tea", quantity: 1 }]);
    await drainJobs(h.db, worker());
    let delta = deltaOf(before, await scrape());
    expect(delta("checkout_jobs_claimed_total")).toBe(2);
    expect(delta("checkout_jobs_succeeded_total")).toBe(2);
    expect(delta("checkout_jobs_redeliveries_absorbed_total")).toBe(0);

    // Both put back for redelivery: both absorbed, no second effect.
    before = await scrape();
    expect((await call(h.url, "admin.redeliverJobs", { limit: 2 }, { cookie: admin })).data.redelivered).toHaveLength(
      2,
    );
    await drainJobs(h.db, worker());
    delta = deltaOf(before, await scrape());
    expect(delta("checkout_jobs_claimed_total")).toBe(2);
    expect(delta("checkout_jobs_redeliveries_absorbed_total")).toBe(2);
    expect(delta("checkout_jobs_succeeded_total")).toBe(2);

    // Another order whose deliveries always fail, with two attempts each: one retry, then dead.
    before = await scrape();
    const failing = await paidOrderWithJobs(h.db, uniqueUser("metrics-dead"), [
      { productId: "ceramic-mug", quantity: 1 },
    ]);
    await drainJobs(
      h.db,
      worker({ maxAttempts: 2, hooks: jobFaultHooks((job) => (job.orderId === failing ? "fail" : null)) }),
    );
    const after = await scrape();
    delta = deltaOf(before, after);
    expect(delta("checkout_jobs_claimed_total")).toBe(4);
    expect(delta("checkout_jobs_retried_total")).toBe(2);
    expect(delta("checkout_jobs_dead_total")).toBe(2);
    expect(delta("checkout_jobs_succeeded_total")).toBe(0);

    // Gauges are the database's truth at scrape time.
    for (const state of ["PENDING", "RUNNING", "SUCCEEDED", "DEAD"] as const) {
      expect(sample(after, "checkout_jobs", `state="${state}"`), state).toBe(
        await h.db.job.count({ where: { state } }),
      );
    }
    expect(sample(after, "checkout_jobs", 'state="DEAD"')).toBeGreaterThanOrEqual(2);
    const spent = (await h.db.modelCall.aggregate({ _sum: { tokens: true } }))._sum.tokens ?? 0;
    const saved = (await h.db.job.aggregate({ _sum: { tokensSaved: true } }))._sum.tokensSaved ?? 0;
    expect(spent).toBeGreaterThan(0);
    expect(sample(after, "checkout_job_model_tokens", 'kind="spent"')).toBe(spent);
    expect(sample(after, "checkout_job_model_tokens", 'kind="saved"')).toBe(saved);
  });
});
