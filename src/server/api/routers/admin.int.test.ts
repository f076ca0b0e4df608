import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, newKey, placeOrder, startHarness } from "@/test/app-harness";
import { query, signIn, uniqueName } from "@/test/http-client";
import { providers } from "@/test/test-db";

/** Every admin.* query with an input it accepts. */
const adminQueries: [string, unknown][] = [
  ["admin.stats", { window: "1h" }],
  ["admin.timeline", { window: "1h" }],
  ["admin.retries", { window: "all" }],
  ["admin.latency", { window: "1d" }],
  ["admin.intents", { window: "1h", limit: 5 }],
  ["admin.events", { limit: 5 }],
  ["admin.audit", undefined],
];

describe.each(providers)("admin.* access control over HTTP on %s", (provider) => {
  let h: Harness;
  let admin = "";
  let shopper = "";
  beforeAll(async () => {
    h = await startHarness(provider);
    admin = await signIn(h.url, uniqueName("admin"), "test-admin");
    shopper = await h.shopper();
    expect((await placeOrder(h, shopper, newKey())).status).toBe(201);
  });
  afterAll(() => h?.close());

  it.each(adminQueries)("%s: 401 without a session", async (path, input) => {
    const res = await query(h.url, path, input);
    expect(res.status).toBe(401);
    expect(res.error.data.reason).toBe("UNAUTHENTICATED");
  });

  it.each(adminQueries)("%s: 403 for a shopper", async (path, input) => {
    const res = await query(h.url, path, input, { cookie: shopper });
    expect(res.status).toBe(403);
    expect(res.error.data.reason).toBe("FORBIDDEN");
  });

  it.each(adminQueries)("%s: 200 for an admin", async (path, input) => {
    const res = await query(h.url, path, input, { cookie: admin });
    expect(res.status).toBe(200);
    expect(res.data).toBeDefined();
  });

  it("shows an admin the shopper's checkout", async () => {
    const stats = await query(h.url, "admin.stats", { window: "1h" }, { cookie: admin });
    expect(stats.data).toMatchObject({ keyedRequests: 1, executed: 1, distinctIntents: 1, orders: { paid: 1 } });
    const audit = await query(h.url, "admin.audit", undefined, { cookie: admin });
    expect(audit.data.ok).toBe(true);
  });

  it("validates inputs (400 on an unknown window or threshold out of range)", async () => {
    expect((await query(h.url, "admin.stats", { window: "1y" }, { cookie: admin })).status).toBe(400);
    const bad = { window: "1h", thresholds: { duplicateRate: 2 } };
    expect((await query(h.url, "admin.stats", bad, { cookie: admin })).status).toBe(400);
    expect((await query(h.url, "admin.intents", { limit: 1000 }, { cookie: admin })).status).toBe(400);
  });
});
