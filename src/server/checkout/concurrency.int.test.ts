import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "@/server/admin/audit";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { type CallResult, signIn, signInWithId, uniqueName } from "@/test/http-client";
import { type ServerProcess, spawnServer } from "@/test/spawn-servers";
import { createTestDatabase, providers, type TestDatabase } from "@/test/test-db";

const N = 50;

/** Of N identical requests: exactly one executes; the rest are told to wait (409) or get the replay. */
function expectOneExecution(results: CallResult[]) {
  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  for (const r of results.filter((x) => x.status !== 201)) {
    if (r.status === 409) expect(r.error.data.reason).toBe("REQUEST_IN_PROGRESS");
    else expect(r.status).toBe(200);
  }
  const orderIds = new Set(results.filter((r) => r.data).map((r) => r.data.orderId));
  expect(orderIds.size).toBe(1);
}

describe.each(providers)("real concurrency on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    // Provider latency widens the window in which twins overlap the first execution.
    h = await startHarness(provider, { providerLatencyMs: 30 });
  });
  afterAll(() => h?.close());

  it(`${N} simultaneous identical requests: one execution, one order, one charge`, async () => {
    const cookie = await h.shopper("burst");
    const key = newKey();
    const body = order([{ productId: "espresso-beans", quantity: 1 }]);
    const results = await Promise.all(Array.from({ length: N }, () => placeOrder(h, cookie, key, body)));
    expectOneExecution(results);

    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(await h.db.order.count({ where: { idempotencyRecordId: record.id } })).toBe(1);
    expect(await h.db.providerCharge.count({ where: { providerKey: `${record.id}:charge` } })).toBe(1);
    const events = await h.db.requestEvent.groupBy({ by: ["outcome"], where: { key }, _count: { _all: true } });
    const byOutcome = Object.fromEntries(events.map((e) => [e.outcome, e._count._all]));
    expect(byOutcome.EXECUTED).toBe(1);
    expect((byOutcome.REPLAYED ?? 0) + (byOutcome.IN_FLIGHT_CONFLICT ?? 0)).toBe(N - 1);
  });

  it(`${N} shoppers racing for the last 3 units: 3 orders, stock 0, never negative`, async () => {
    await h.db.product.update({ where: { id: "last-one" }, data: { stock: 3, initialStock: 3 } });
    const cookies = await Promise.all(Array.from({ length: N }, () => h.shopper("racer")));
    const body = order([{ productId: "last-one", quantity: 1 }]);
    const results = await Promise.all(cookies.map((c) => placeOrder(h, c, newKey(), body)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 409 && r.error.data.reason === "INSUFFICIENT_STOCK")).toBe(true);
    expect((await h.db.product.findUniqueOrThrow({ where: { id: "last-one" } })).stock).toBe(0);
    // A refusal before any side effect is not stored as the key's answer.
    expect(await h.db.idempotencyRecord.count({ where: { order: null } })).toBe(0);
    expect((await audit(h.db)).ok).toBe(true);
  });
});

describe("two server processes sharing PostgreSQL", () => {
  let t: TestDatabase;
  let servers: ServerProcess[] = [];
  beforeAll(async () => {
    t = await createTestDatabase("postgresql");
    servers = await Promise.all(
      [0, 1].map(() =>
        spawnServer({ DATABASE_URL: t.url, PORT: "0", PROVIDER_LATENCY_MS: "30", RECOVERY_INTERVAL_MS: "0" }),
      ),
    );
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await t?.drop();
  });

  it(`${N} identical requests spread over both instances: one execution`, async () => {
    const [a, b] = servers;
    if (!a || !b) throw new Error("servers did not start");
    const cookie = await signIn(a.url, uniqueName("two-instances"));
    const key = newKey();
    const body = order([{ productId: "digital-scale", quantity: 1 }]);
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => placeOrder({ url: (i % 2 ? a : b).url }, cookie, key, body)),
    );
    expectOneExecution(results);
    const record = await t.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(await t.db.order.count({ where: { idempotencyRecordId: record.id } })).toBe(1);
    expect(await t.db.providerCharge.count({ where: { providerKey: `${record.id}:charge` } })).toBe(1);
    expect((await audit(t.db)).ok).toBe(true);
  });

  it(`${N} tabs of one shopper with fresh keys and the same cart, over both instances: one order`, async () => {
    const [a, b] = servers;
    if (!a || !b) throw new Error("servers did not start");
    const shopper = await signInWithId(a.url, uniqueName("two-instance-tabs"));
    const body = order([{ productId: "milk-frother", quantity: 1 }]);
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => placeOrder({ url: (i % 2 ? a : b).url }, shopper.cookie, newKey(), body)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.error?.data?.reason])).toEqual(
      refused.map(() => [409, "DUPLICATE_INTENT_SUSPECTED"]),
    );
    expect(await t.db.order.count({ where: { userId: shopper.userId } })).toBe(1);
    expect(await t.db.payment.count({ where: { order: { userId: shopper.userId } } })).toBe(1);
    expect((await audit(t.db)).ok).toBe(true);
  });

  it("many distinct intents over both instances: one order and one charge each", async () => {
    const [a, b] = servers;
    if (!a || !b) throw new Error("servers did not start");
    const shoppers = await Promise.all(Array.from({ length: 10 }, () => signIn(a.url, uniqueName("many"))));
    const intents = shoppers.map((cookie) => ({ cookie, key: newKey() }));
    const body = order([{ productId: "paper-filters", quantity: 1 }]);
    const copies = intents.flatMap((intent) =>
      Array.from({ length: 5 }, (_, i) => ({ ...intent, server: i % 2 ? a : b })),
    );
    const results = await Promise.all(copies.map((c) => placeOrder({ url: c.server.url }, c.cookie, c.key, body)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(intents.length);
    const keys = intents.map((i) => i.key);
    expect(await t.db.order.count({ where: { idempotencyRecord: { key: { in: keys } } } })).toBe(intents.length);
    expect((await audit(t.db)).ok).toBe(true);
  });
});
