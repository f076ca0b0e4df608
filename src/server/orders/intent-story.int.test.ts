import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recoverOnce } from "@/server/recovery-worker";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { call, query, signIn, uniqueName } from "@/test/http-client";
import { providers } from "@/test/test-db";

/** Long enough for the in-flight test's second request to surely meet a held lease, short for the crash tests. */
const LEASE_MS = 2_000;
const ALL_POINTS = ["STARTED", "ORDER_CREATED", "PAYMENT_CHARGED", "FINISHED"].map((name) => ({
  name,
  reached: true,
}));

/** orders.story and admin.intentStory over real HTTP: what the server's records say about one intent. */
describe.each(providers)("the story of an order on %s", (provider) => {
  let h: Harness;
  let admin = "";
  beforeAll(async () => {
    h = await startHarness(provider, { engine: { leaseMs: LEASE_MS } });
    admin = await signIn(h.url, uniqueName("admin"), "test-admin");
  });
  afterAll(() => h?.close());

  const story = (cookie: string | undefined, input: unknown) =>
    query(h.url, "orders.story", input, cookie ? { cookie } : {});
  const orderIdOf = async (key: string) =>
    (await h.db.idempotencyRecord.findFirstOrThrow({ where: { key }, select: { order: { select: { id: true } } } }))
      .order?.id;
  const report = (cookie: string, input: object) => call(h.url, "events.reportClient", input, { cookie });
  /** The crashed attempt's lease is held until lockedUntil: wait for that moment, not for a guessed time. */
  const leaseExpired = async (key: string) => {
    const { lockedUntil } = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    await expect
      .poll(() => Date.now() > (lockedUntil?.getTime() ?? 0), { interval: 50, timeout: LEASE_MS * 3 })
      .toBe(true);
  };

  it("a double click: one execution and the absorbed click, every recovery point, the provider key", async () => {
    const cookie = await h.shopper("dbl");
    const key = newKey();
    expect((await placeOrder(h, cookie, key)).status).toBe(201);
    expect((await report(cookie, { kind: "CLIENT_DEDUPED", operation: "checkout.placeOrder", key })).status).toBe(200);
    const id = await orderIdOf(key);
    const res = await story(cookie, { id });
    expect(res.status).toBe(200);
    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(res.data).toMatchObject({
      order: { id, status: "PAID", unsafeBaseline: false },
      intent: { key, status: "COMPLETED", recoveryPoint: "FINISHED", points: ALL_POINTS, executions: 1 },
      browser: { clicksAbsorbed: 1, retries: 0 },
      provider: { key: `${record.id}:charge`, status: "SUCCEEDED", repeatsAnswered: 0 },
      twins: null,
    });
    expect(res.data.steps.map((s: { outcome: string }) => s.outcome)).toEqual(["executed", "click-absorbed"]);
    expect(res.data.steps[0]).toMatchObject({ by: "server", attempt: 1, httpStatus: 201, cause: null });
    const payment = await h.db.payment.findFirstOrThrow({ where: { orderId: id } });
    expect(res.data.provider.chargeId).toBe(payment.chargeId);
  });

  it("a lost response: executed with the answer lost, the browser's retry and its cause, then the replay", async () => {
    const cookie = await h.shopper("lost");
    const key = newKey();
    const body = order([{ productId: "green-tea", quantity: 2 }]);
    expect((await placeOrder(h, cookie, key, body, { "X-Fault": "lose-response" })).status).toBe(504);
    await report(cookie, { kind: "CLIENT_RETRY", operation: "checkout.placeOrder", key, attempt: 2, causeStatus: 504 });
    const retry = await placeOrder(h, cookie, key, body, { "X-Retry-Attempt": "2" });
    expect(retry.status).toBe(200);
    const res = await story(cookie, { id: await orderIdOf(key) });
    expect(res.data.steps).toMatchObject([
      { by: "server", outcome: "response-lost", httpStatus: 504, attempt: 1, cause: null },
      { by: "browser", outcome: "browser-retry", attempt: 2, cause: "the previous attempt answered 504" },
      {
        by: "server",
        outcome: "replayed",
        httpStatus: 200,
        attempt: 2,
        cause: "retry 2: the previous attempt answered 504",
      },
    ]);
    expect(res.data.provider.repeatsAnswered).toBe(0);
    expect(res.data.intent.executions).toBe(1);
  });

  it("a retry while the first attempt runs is refused in flight", async () => {
    const cookie = await h.shopper("inflight");
    const key = newKey();
    const slow = placeOrder(h, cookie, key, undefined, { "X-Fault": "delay:1000" });
    await expect.poll(() => h.db.idempotencyRecord.count({ where: { key } })).toBe(1);
    expect((await placeOrder(h, cookie, key, undefined, { "X-Retry-Attempt": "2" })).status).toBe(409);
    expect((await slow).status).toBe(201);
    const res = await story(cookie, { id: await orderIdOf(key) });
    expect(res.data.steps.map((s: { outcome: string }) => s.outcome)).toEqual(["refused-in-flight", "executed"]);
  });

  it("a crash after the charge taken over by the retry: the provider answered the repeat with the original charge", async () => {
    const cookie = await h.shopper("takeover");
    const key = newKey();
    expect((await placeOrder(h, cookie, key, undefined, { "X-Fault": "crash-after-charge" })).status).toBe(502);
    const mid = await story(cookie, { id: await orderIdOf(key) });
    expect(mid.data).toMatchObject({
      order: { status: "PENDING_PAYMENT" },
      intent: { status: "IN_PROGRESS", recoveryPoint: "ORDER_CREATED" },
      provider: { status: "SUCCEEDED", repeatsAnswered: 0 },
    });
    expect(mid.data.intent.points.filter((p: { reached: boolean }) => p.reached)).toHaveLength(2);
    await leaseExpired(key);
    expect((await placeOrder(h, cookie, key, undefined, { "X-Retry-Attempt": "2" })).status).toBe(201);
    const res = await story(cookie, { id: await orderIdOf(key) });
    expect(res.data.steps).toMatchObject([
      { outcome: "crashed", httpStatus: 502 },
      { outcome: "taken-over", attempt: 2, httpStatus: 201 },
    ]);
    expect(res.data).toMatchObject({
      order: { status: "PAID" },
      intent: { recoveryPoint: "FINISHED", points: ALL_POINTS, executions: 2 },
      provider: { repeatsAnswered: 1 },
    });
    expect(await h.db.providerCharge.count({ where: { providerKey: res.data.provider.key } })).toBe(1);
  });

  it("a crash after the charge finished by the recovery worker, told as the worker's step", async () => {
    const cookie = await h.shopper("worker");
    const key = newKey();
    expect((await placeOrder(h, cookie, key, undefined, { "X-Fault": "crash-after-charge" })).status).toBe(502);
    await leaseExpired(key);
    await expect
      .poll(
        async () =>
          (await recoverOnce(h.services)) && (await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } })).status,
      )
      .toBe("COMPLETED");
    const res = await story(cookie, { id: await orderIdOf(key) });
    expect(res.data.steps).toMatchObject([
      { outcome: "crashed", by: "server" },
      { outcome: "recovered-by-worker", by: "recovery worker", attempt: 0, cause: expect.stringContaining("lease") },
    ]);
    expect(res.data).toMatchObject({ order: { status: "PAID" }, provider: { repeatsAnswered: 1 } });
  });

  it("shows only the shopper's own: another shopper and a made-up id get the same 404, no session gets 401", async () => {
    const owner = await h.shopper("owner");
    const key = newKey();
    await placeOrder(h, owner, key);
    const id = await orderIdOf(key);
    const other = await h.shopper("other");
    const theirs = await story(other, { id });
    const madeUp = await story(other, { id: "no-such-order" });
    expect(theirs.status).toBe(404);
    expect(theirs.error.message).toBe(madeUp.error.message);
    expect(madeUp.status).toBe(404);
    expect((await story(undefined, { id })).status).toBe(401);
  });

  it("admins read the same story by (user, key); shoppers may not", async () => {
    const { cookie, userId } = await h.shopperWithId("seen-by-admin");
    const key = newKey();
    await placeOrder(h, cookie, key);
    const mine = await story(cookie, { id: await orderIdOf(key) });
    const seen = await query(h.url, "admin.intentStory", { userId, key: key.toUpperCase() }, { cookie: admin });
    expect(seen.status).toBe(200);
    expect(seen.data).toEqual(mine.data);
    expect((await query(h.url, "admin.intentStory", { userId, key }, { cookie })).status).toBe(403);
    expect((await query(h.url, "admin.intentStory", { userId, key: newKey() }, { cookie: admin })).status).toBe(404);
  });

  it.each([
    ["orders.story", {}],
    ["orders.story", { id: "" }],
    ["orders.story", { id: "x".repeat(65) }],
    ["orders.story", { id: "x", more: 1 }],
    ["admin.intentStory", { userId: "u", key: "not-a-uuid" }],
    ["admin.intentStory", { key: "6f1c2d3e-0000-4000-8000-000000000000" }],
  ])("%s refuses bad input %j with 400", async (path, input) => {
    const cookie = path === "orders.story" ? await h.shopper("bad") : admin;
    const res = await query(h.url, path, input, { cookie });
    expect(res.status).toBe(400);
  });

  it("an unsafe-baseline order names its twins within the duplicate window and how many times the card paid", async () => {
    const cookie = await h.shopper("unsafe");
    const body = order([{ productId: "almond-biscotti", quantity: 1 }]);
    const placed = await Promise.all([1, 2, 3].map(() => call(h.url, "checkout.placeOrderUnsafe", body, { cookie })));
    expect(placed.map((p) => p.status)).toEqual([201, 201, 201]);
    const [a, b, c] = placed.map((p) => p.data.orderId as string);
    // The third one moved out of the duplicate window: no longer a twin.
    const old = new Date(Date.now() - h.services.engine.duplicateWindowMs - 60_000);
    await h.db.order.update({ where: { id: c }, data: { createdAt: old } });
    const res = await story(cookie, { id: a });
    expect(res.data).toMatchObject({
      order: { id: a, unsafeBaseline: true },
      intent: null,
      steps: [],
      provider: { key: null, status: "SUCCEEDED" },
      twins: { orders: [{ id: b, charged: true, unsafeBaseline: true }], more: 0, timesCharged: 2 },
    });
    // A different cart of the same shopper is not a twin.
    const other = await call(h.url, "checkout.placeOrderUnsafe", order([{ productId: "ceramic-mug", quantity: 1 }]), {
      cookie,
    });
    expect((await story(cookie, { id: other.data.orderId })).data.twins).toEqual({
      orders: [],
      more: 0,
      timesCharged: 1,
    });
  });
});
