import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { audit } from "@/server/admin/audit";
import { metrics } from "@/server/metrics/registry";
import { type Harness, newKey, order, placeOrder, rowCounts, startHarness } from "@/test/app-harness";
import { call } from "@/test/http-client";
import { providers } from "@/test/test-db";

/** Contract section 3, row by row, over real HTTP against the app's handler on each database. */
describe.each(providers)("status table over HTTP on %s", (provider) => {
  let h: Harness;
  let cookie: string;
  beforeAll(async () => {
    h = await startHarness(provider, { engine: { leaseMs: 600 } });
  });
  afterAll(() => h?.close());
  // A fresh shopper per test: the same cart from the same shopper under a new key is a suspected duplicate.
  beforeEach(async () => {
    cookie = await h.shopper();
  });

  const mug = (quantity = 1, token = "tok_visa") => order([{ productId: "ceramic-mug", quantity }], token);
  const eventsFor = (key: string) => h.db.requestEvent.findMany({ where: { key }, orderBy: { createdAt: "asc" } });

  it("400 KEY_MISSING / KEY_INVALID for a missing, malformed or over-long key, and writes nothing", async () => {
    const before = await rowCounts(h);
    const missing = await placeOrder(h, cookie, undefined, mug());
    const notUuid = await placeOrder(h, cookie, "not-a-uuid", mug());
    const tooLong = await placeOrder(h, cookie, "a".repeat(256), mug());
    expect([missing.status, notUuid.status, tooLong.status]).toEqual([400, 400, 400]);
    expect(missing.error.data.reason).toBe("KEY_MISSING");
    expect(missing.error.data.code).toBe("BAD_REQUEST");
    expect(notUuid.error.data.reason).toBe("KEY_INVALID");
    expect(tooLong.error.data.reason).toBe("KEY_INVALID");
    expect(await rowCounts(h)).toEqual(before);
  });

  it("201 on first sight, then 200 + Idempotent-Replayed with the stored response", async () => {
    const key = newKey();
    const first = await placeOrder(h, cookie, key, mug(2));
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(first.data).toMatchObject({ status: "PAID", totalCents: 2800, replayed: false });

    const again = await placeOrder(h, cookie, key, mug(2));
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.data).toEqual({ ...first.data, replayed: true });

    expect(await h.db.order.count({ where: { idempotencyRecord: { key } } })).toBe(1);
    expect(await h.db.providerCharge.count({ where: { id: first.data.chargeId } })).toBe(1);
    const events = await eventsFor(key);
    expect(events.map((e) => [e.outcome, e.httpStatus])).toEqual([
      ["EXECUTED", 201],
      ["REPLAYED", 200],
    ]);
    expect(events[1]?.amountCents).toBe(2800);
  });

  it("treats the same cart in another line order as the same request (canonical fingerprint)", async () => {
    const key = newKey();
    const a = { productId: "ceramic-mug", quantity: 1 };
    const b = { productId: "paper-filters", quantity: 2 };
    const first = await placeOrder(h, cookie, key, order([a, b]));
    const swapped = await placeOrder(h, cookie, key, order([b, a]));
    expect([first.status, swapped.status]).toEqual([201, 200]);
    expect(swapped.data.orderId).toBe(first.data.orderId);
  });

  it("422 KEY_REUSED_WITH_DIFFERENT_REQUEST for another body or another operation with the same key", async () => {
    const key = newKey();
    expect((await placeOrder(h, cookie, key, mug(1))).status).toBe(201);
    const otherQuantity = await placeOrder(h, cookie, key, mug(3));
    const otherCard = await placeOrder(h, cookie, key, mug(1, "tok_declined"));
    const otherOperation = await call(
      h.url,
      "cart.addItem",
      { idempotencyKey: key, productId: "ceramic-mug", quantity: 1 },
      { cookie },
    );
    for (const r of [otherQuantity, otherCard, otherOperation]) {
      expect(r.status).toBe(422);
      expect(r.error.data.code).toBe("UNPROCESSABLE_CONTENT");
      expect(r.error.data.reason).toBe("KEY_REUSED_WITH_DIFFERENT_REQUEST");
    }
    expect(await h.db.order.count({ where: { idempotencyRecord: { key } } })).toBe(1);
  });

  it("409 REQUEST_IN_PROGRESS with Retry-After while the first attempt holds the lease", async () => {
    const key = newKey();
    const slow = placeOrder(h, cookie, key, mug(), { "X-Fault": "delay:1500" });
    // Wait until the slow attempt has its record, then send the twin.
    await expect.poll(() => h.db.idempotencyRecord.count({ where: { key } }), { timeout: 5_000 }).toBe(1);
    const twin = await placeOrder(h, cookie, key, mug());
    expect(twin.status).toBe(409);
    expect(twin.error.data.reason).toBe("REQUEST_IN_PROGRESS");
    expect(twin.error.data.code).toBe("CONFLICT");
    expect(Number(twin.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await slow).status).toBe(201);
    expect((await placeOrder(h, cookie, key, mug())).status).toBe(200);
  });

  it("crash after the charge: 502, then 409 while the dead attempt's lease runs, then taken over and resumed (201)", async () => {
    const key = newKey();
    const crashed = await placeOrder(h, cookie, key, mug(), { "X-Fault": "crash-after-charge" });
    expect(crashed.status).toBe(502);
    expect(crashed.error.data.reason).toBe("SIMULATED_CRASH");
    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(record).toMatchObject({ status: "IN_PROGRESS", recoveryPoint: "ORDER_CREATED" });
    expect(await h.db.providerCharge.count({ where: { providerKey: `${record.id}:charge` } })).toBe(1);

    const during = await placeOrder(h, cookie, key, mug());
    expect(during.status).toBe(409);
    // Retry like a client until the lease expires and the retry takes over.
    let resumed = during;
    await expect
      .poll(
        async () => {
          resumed = await placeOrder(h, cookie, key, mug());
          return resumed.status;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(201);
    expect(resumed.data).toMatchObject({ status: "PAID", replayed: false });
    expect(await h.db.providerCharge.count({ where: { providerKey: `${record.id}:charge` } })).toBe(1);
    expect(await h.db.payment.count({ where: { orderId: resumed.data.orderId } })).toBe(1);
    const outcomes = (await eventsFor(key)).map((e) => e.outcome);
    expect(outcomes[0]).toBe("FAILED");
    expect(outcomes.at(-1)).toBe("RECOVERED");
  });

  it("503 TRANSIENT_FAILURE with Retry-After: lease released, recovery point kept, a retry resumes at once", async () => {
    for (const [i, fault] of ["db-busy", "provider-timeout-after-charge"].entries()) {
      const key = newKey();
      const busy = await placeOrder(h, cookie, key, mug(i + 1), { "X-Fault": fault });
      expect(busy.status, fault).toBe(503);
      expect(busy.error.data.reason).toBe("TRANSIENT_FAILURE");
      expect(busy.headers.get("retry-after")).toBe("1");
      const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
      expect(record.status).toBe("IN_PROGRESS");
      expect(record.lockedUntil).toBeNull();
      expect(record.recoveryPoint).toBe(fault === "db-busy" ? "STARTED" : "ORDER_CREATED");
      const retry = await placeOrder(h, cookie, key, mug(i + 1));
      expect(retry.status, fault).toBe(201);
      // A resume after a transient failure, not a lease takeover: the dashboard counts them apart.
      expect((await eventsFor(key)).map((e) => e.outcome)).toEqual(["TRANSIENT_FAILURE", "RESUMED"]);
      expect(await h.db.providerCharge.count({ where: { providerKey: `${record.id}:charge` } })).toBe(1);
    }
  });

  it("504 when the response is lost after commit; the retry gets the replay", async () => {
    const key = newKey();
    const lost = await placeOrder(h, cookie, key, mug(), { "X-Fault": "lose-response" });
    expect(lost.status).toBe(504);
    expect(lost.error.data.reason).toBe("RESPONSE_LOST");
    const retry = await placeOrder(h, cookie, key, mug(), { "X-Retry-Attempt": "2" });
    expect(retry.status).toBe(200);
    expect(retry.data.replayed).toBe(true);
    expect(await h.db.order.count({ where: { idempotencyRecord: { key } } })).toBe(1);
    const events = await eventsFor(key);
    expect(events.map((e) => [e.outcome, e.httpStatus, e.attempt])).toEqual([
      ["EXECUTED", 504, 1],
      ["REPLAYED", 200, 2],
    ]);
  });

  it("409 DUPLICATE_INTENT_SUSPECTED for a new key repeating a recent order; confirmDuplicate executes it", async () => {
    const shopper = await h.shopper("dup");
    const cart = order([{ productId: "green-tea", quantity: 2 }]);
    const first = await placeOrder(h, shopper, newKey(), cart);
    expect(first.status).toBe(201);

    const secondKey = newKey();
    const suspected = await placeOrder(h, shopper, secondKey, cart);
    expect(suspected.status).toBe(409);
    expect(suspected.error.data).toMatchObject({ reason: "DUPLICATE_INTENT_SUSPECTED", orderId: first.data.orderId });
    expect(await h.db.idempotencyRecord.count({ where: { key: secondKey } })).toBe(0);

    const confirmed = await placeOrder(h, shopper, secondKey, { ...cart, confirmDuplicate: true });
    expect(confirmed.status).toBe(201);
    expect(confirmed.data.orderId).not.toBe(first.data.orderId);
    // confirmDuplicate is not part of the fingerprint: the plain retry of the confirmed key replays.
    const replay = await placeOrder(h, shopper, secondKey, cart);
    expect(replay.status).toBe(200);
    expect(replay.data.orderId).toBe(confirmed.data.orderId);
  });

  it("scopes keys per user: another user's same key is independent and learns nothing", async () => {
    const alice = await h.shopper("alice");
    const bob = await h.shopper("bob");
    const key = newKey();
    const a = await placeOrder(h, alice, key, mug(1));
    const b = await placeOrder(h, bob, key, mug(4));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.data.orderId).not.toBe(a.data.orderId);
    expect(b.data.totalCents).toBe(5600);
    const peek = await fetch(
      `${h.url}/api/trpc/orders.get?input=${encodeURIComponent(JSON.stringify({ id: a.data.orderId }))}`,
      {
        headers: { cookie: bob },
      },
    );
    expect(peek.status).toBe(404);
  });

  it("accepts the key in the Idempotency-Key header; a different key in input and header is a 400", async () => {
    const key = newKey();
    const viaHeader = await placeOrder(h, cookie, undefined, mug(), { "Idempotency-Key": key });
    expect(viaHeader.status).toBe(201);
    expect(viaHeader.headers.get("idempotency-key")).toBe(key);
    const viaInput = await placeOrder(h, cookie, key, mug());
    expect(viaInput.status).toBe(200);
    const conflicting = await placeOrder(h, cookie, key, mug(), { "Idempotency-Key": newKey() });
    expect(conflicting.status).toBe(400);
    expect(conflicting.error.data.reason).toBe("KEY_SOURCES_DIFFER");
  });

  it("a declined card is a final, stored answer: PAYMENT_FAILED, replayed, stock released", async () => {
    const stockBefore = (await h.db.product.findUniqueOrThrow({ where: { id: "hand-grinder" } })).stock;
    const key = newKey();
    const body = order([{ productId: "hand-grinder", quantity: 2 }], "tok_declined");
    const declined = await placeOrder(h, cookie, key, body);
    expect(declined.status).toBe(201);
    expect(declined.data.status).toBe("PAYMENT_FAILED");
    const replay = await placeOrder(h, cookie, key, body);
    expect(replay.status).toBe(200);
    expect(replay.data).toEqual({ ...declined.data, replayed: true });
    expect((await h.db.product.findUniqueOrThrow({ where: { id: "hand-grinder" } })).stock).toBe(stockBefore);
    expect(await h.db.order.findUniqueOrThrow({ where: { id: declined.data.orderId } })).toMatchObject({
      status: "PAYMENT_FAILED",
    });
  });

  it("401 without a session: counted in the metrics, no row written (anyone can send them)", async () => {
    const counted = async () =>
      (await metrics.unrecordedRequests.get()).values.find(
        (v) => v.labels.operation === "checkout.placeOrder" && v.labels.reason === "UNAUTHENTICATED",
      )?.value ?? 0;
    const before = { rows: await rowCounts(h), events: await h.db.requestEvent.count(), counted: await counted() };
    const keys = Array.from({ length: 30 }, newKey);
    const answers = await Promise.all(keys.map((key) => placeOrder(h, "", key, mug())));
    expect(answers.map((a) => a.status)).toEqual(keys.map(() => 401));
    expect(answers[0]?.error.data.reason).toBe("UNAUTHENTICATED");
    expect(await h.db.requestEvent.count()).toBe(before.events);
    expect(await rowCounts(h)).toEqual(before.rows);
    expect(await counted()).toBe(before.counted + 30);
  });

  it("leaves the audit clean after all of the above", async () => {
    const result = await audit(h.db);
    expect(result.invariants.filter((i) => i.violations > 0)).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
