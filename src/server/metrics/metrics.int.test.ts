import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recoverOnce } from "@/server/recovery-worker";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
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
});
