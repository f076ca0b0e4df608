import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestOutcome } from "@/generated/sqlite/enums";
import { createTestDatabase, providers, type TestDatabase } from "@/test/test-db";
import { recentIntents } from "./intents";
import { latencyPercentiles } from "./latency";
import { retriesPerIntent } from "./retries";
import { stats } from "./stats";
import { outcomesOverTime } from "./timeline";

/** Known events at known times; every figure below is worked out by hand from this list. */
describe.each(providers)("admin dashboard aggregation on %s", (provider) => {
  let t: TestDatabase;
  // Whole minute + 30 s, so the three conflicts at now - 2 min share a minute bucket.
  const now = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
  const ago = (ms: number) => new Date(now - ms);
  const min = 60_000;
  const keys = { k1: randomUUID(), k2: randomUUID(), k3: randomUUID(), k4: randomUUID(), k5: randomUUID() };
  let userA = "";
  let userB = "";

  beforeAll(async () => {
    t = await createTestDatabase(provider, { seed: false });
    userA = (await t.db.user.create({ data: { name: `a-${randomUUID()}` } })).id;
    userB = (await t.db.user.create({ data: { name: `b-${randomUUID()}` } })).id;
    const ev = (
      userId: string | null,
      key: string | null,
      outcome: RequestOutcome,
      at: Date,
      extra: { latencyMs?: number; amountCents?: number } = {},
    ) => ({ userId, key, outcome, createdAt: at, operation: "checkout.placeOrder", httpStatus: 200, ...extra });
    await t.db.requestEvent.createMany({
      data: [
        ev(userA, keys.k1, "EXECUTED", ago(10 * min), { latencyMs: 100 }),
        ev(userA, keys.k1, "REPLAYED", ago(9 * min + 3000), { latencyMs: 5, amountCents: 1400 }),
        ev(userA, keys.k1, "CLIENT_RETRY", ago(9 * min + 2000)),
        ev(userA, keys.k1, "REPLAYED", ago(9 * min), { latencyMs: 7, amountCents: 1400 }),
        ev(userA, keys.k2, "IN_FLIGHT_CONFLICT", ago(2 * min), { amountCents: 2800 }),
        ev(userA, keys.k2, "IN_FLIGHT_CONFLICT", ago(2 * min), { amountCents: 2800 }),
        ev(userA, keys.k2, "IN_FLIGHT_CONFLICT", ago(2 * min), { amountCents: 2800 }),
        ev(userA, keys.k2, "EXECUTED", ago(2 * min - 1000), { latencyMs: 300 }),
        ev(userB, keys.k3, "DUPLICATE_SUSPECTED", ago(min + 2000), { amountCents: 900 }),
        ev(userB, keys.k3, "CLIENT_DEDUPED", ago(min + 1000)),
        ev(userB, keys.k3, "EXECUTED", ago(min), { latencyMs: 200 }),
        ev(userB, keys.k3, "FINGERPRINT_MISMATCH", ago(30_000)),
        ev(userB, null, "KEY_MISSING", ago(20_000)),
        ev(userB, "not-a-uuid", "KEY_INVALID", ago(10_000)),
        ev(userA, keys.k4, "RECOVERED", ago(120 * min), { latencyMs: 50 }),
        ev(userB, keys.k5, "EXECUTED", ago(2 * 24 * 60 * min), { latencyMs: 1000 }),
      ],
    });
  });
  afterAll(() => t?.drop());

  it("counts the headline figures of a window in the database", async () => {
    const s = await stats(t.db, { window: "1h" }, now);
    expect(s).toMatchObject({
      keyedRequests: 12,
      distinctIntents: 3,
      executed: 3,
      replayed: 2,
      inFlightConflicts: 3,
      fingerprintMismatches: 1,
      missingOrInvalidKeys: 2,
      leaseTakeovers: 0,
      suspectedDuplicates: 1,
      clientDeduped: 1,
      clientRetries: 1,
      duplicateRate: 0.5,
      moneyProtectedCents: 2 * 1400 + 3 * 2800 + 900,
      peakConflictsPerMinute: 3,
    });
  });

  it("widens with the window", async () => {
    const day = await stats(t.db, { window: "1d" }, now);
    expect(day).toMatchObject({ keyedRequests: 13, leaseTakeovers: 1, distinctIntents: 4 });
    const all = await stats(t.db, { window: "all" }, now);
    expect(all).toMatchObject({ keyedRequests: 14, executed: 4, distinctIntents: 5, since: null });
    const fiveMinutes = await stats(t.db, { window: "5m" }, now);
    expect(fiveMinutes).toMatchObject({ keyedRequests: 9, replayed: 0, inFlightConflicts: 3 });
  });

  it("raises alerts only above the thresholds, which the caller may override", async () => {
    // Defaults (duplicate rate 0.5, 20 conflicts/min): 0.5 is not above 0.5.
    const calm = await stats(t.db, { window: "1h", thresholds: { duplicateRate: 0.5, conflictsPerMinute: 20 } }, now);
    expect(calm.alerts).toEqual([]);
    const strict = await stats(t.db, { window: "1h", thresholds: { duplicateRate: 0.4, conflictsPerMinute: 2 } }, now);
    expect(strict.alerts.map((a) => a.kind).sort()).toEqual(["CONFLICTS_PER_MINUTE", "DUPLICATE_RATE"]);
    expect(strict.thresholds).toEqual({ duplicateRate: 0.4, conflictsPerMinute: 2 });
  });

  it("buckets outcomes per minute", async () => {
    const timeline = await outcomesOverTime(t.db, "1h", now);
    expect(timeline.bucketSeconds).toBe(60);
    const total = timeline.points.reduce((s, p) => s + Object.values(p.counts).reduce((a, b) => a + (b ?? 0), 0), 0);
    expect(total).toBe(14);
    const conflictMinute = timeline.points.find((p) => p.t === Math.floor((now - 2 * min) / min) * min);
    expect(conflictMinute?.counts).toMatchObject({ IN_FLIGHT_CONFLICT: 3 });
    expect(timeline.points.length).toBeGreaterThanOrEqual(60);
    expect(timeline.points.length).toBeLessThanOrEqual(62);
    const all = await outcomesOverTime(t.db, "all", now);
    expect(all.points.length).toBeLessThanOrEqual(300);
  });

  it("makes a histogram of requests per intent", async () => {
    const h = await retriesPerIntent(t.db, "1h", now);
    expect(h.buckets.map((b) => b.intents)).toEqual([0, 0, 2, 1]);
  });

  it("reads nearest-rank latency percentiles of executed and replayed requests", async () => {
    const l = await latencyPercentiles(t.db, "1h", now);
    expect(l).toEqual([
      { outcome: "EXECUTED", count: 3, p50: 200, p95: 300, p99: 300, maxMs: 300 },
      { outcome: "REPLAYED", count: 2, p50: 5, p95: 7, p99: 7, maxMs: 7 },
    ]);
  });

  it("lists recent intents with attempts and their final outcome", async () => {
    const rows = await recentIntents(t.db, { window: "1h", limit: 20 }, now);
    expect(rows.map((r) => [r.key, r.attempts, r.finalOutcome, r.clientRetries, r.clientDeduped])).toEqual([
      [keys.k3, 3, "FINGERPRINT_MISMATCH", 0, 1],
      [keys.k2, 4, "EXECUTED", 0, 0],
      [keys.k1, 3, "REPLAYED", 1, 0],
    ]);
    expect(rows[2]?.userName).toMatch(/^a-/);
    expect(new Date(rows[2]?.firstAt ?? 0).getTime()).toBe(now - 10 * min);
  });
});
