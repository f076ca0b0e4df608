import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, newKey, order, placeOrder, rowCounts, startHarness } from "@/test/app-harness";
import { call, query } from "@/test/http-client";
import { providers } from "@/test/test-db";

/** checkout.status over real HTTP: what became of my key, read-only, only ever my own. */
describe.each(providers)("checkout.status on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(provider);
  });
  afterAll(() => h?.close());

  const status = (cookie: string | undefined, input: unknown) =>
    query(h.url, "checkout.status", input, cookie ? { cookie } : {});
  /** Everything a status call could write: checkout tables and the event log. */
  const everything = async () => ({ ...(await rowCounts(h)), events: await h.db.requestEvent.count() });

  it("answers unknown, then in progress with the recovery point and lease end, then final with the stored response", async () => {
    const cookie = await h.shopper("status");
    const key = newKey();
    expect((await status(cookie, { idempotencyKey: key })).data).toEqual({ state: "unknown" });

    const slow = placeOrder(h, cookie, key, order([{ productId: "green-tea", quantity: 1 }]), {
      "X-Fault": "delay:1500",
    });
    await expect.poll(() => h.db.idempotencyRecord.count({ where: { key } })).toBe(1);
    const during = await status(cookie, { idempotencyKey: key });
    expect(during.status).toBe(200);
    expect(during.data).toMatchObject({ state: "in_progress", recoveryPoint: "STARTED" });
    expect(Date.parse(during.data.leaseEndsAt)).toBeGreaterThan(Date.now());

    const placed = await slow;
    expect(placed.status).toBe(201);
    const final = await status(cookie, { idempotencyKey: key.toUpperCase() });
    const stored = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(final.data).toEqual({
      state: "final",
      status: stored.responseStatus,
      body: JSON.parse(stored.responseJson ?? "null"),
    });
    expect(final.data.body).toEqual({ ...placed.data, replayed: false });
  });

  it("a crash after the charge stays in progress at ORDER_CREATED; the order page sees the provider's charge", async () => {
    const cookie = await h.shopper("crashed");
    const key = newKey();
    const crashed = await placeOrder(h, cookie, key, order([{ productId: "ceramic-mug", quantity: 1 }]), {
      "X-Fault": "crash-after-charge",
    });
    expect(crashed.status).toBe(502);
    expect((await status(cookie, { idempotencyKey: key })).data).toMatchObject({
      state: "in_progress",
      recoveryPoint: "ORDER_CREATED",
    });
    const { order: pending } = await h.db.idempotencyRecord.findFirstOrThrow({
      where: { key },
      select: { order: { select: { id: true } } },
    });
    const page = await query(h.url, "orders.get", { id: pending?.id }, { cookie });
    expect(page.data).toMatchObject({
      status: "PENDING_PAYMENT",
      payment: null,
      providerCharge: { status: "SUCCEEDED" },
    });
  });

  it("the order page says 'not charged' for a pending order the provider holds no charge for", async () => {
    const { cookie, userId } = await h.shopperWithId("uncharged");
    // An attempt that died after creating its order, before the charge.
    const record = await h.db.idempotencyRecord.create({
      data: {
        userId,
        key: newKey(),
        operation: "checkout.placeOrder",
        fingerprint: "f",
        requestJson: "{}",
        recoveryPoint: "ORDER_CREATED",
        lockedUntil: new Date(Date.now() + 60_000),
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    const pending = await h.db.order.create({
      data: { userId, idempotencyRecordId: record.id, totalCents: 100, paymentToken: "tok_visa", intentHash: "f" },
    });
    const page = await query(h.url, "orders.get", { id: pending.id }, { cookie });
    expect(page.data).toMatchObject({ status: "PENDING_PAYMENT", payment: null, providerCharge: null });
  });

  it("a declined card is final too, with the stored decline; a settled order carries no provider lookup", async () => {
    const cookie = await h.shopper("declined");
    const key = newKey();
    const declined = await placeOrder(
      h,
      cookie,
      key,
      order([{ productId: "paper-filters", quantity: 1 }], "tok_declined"),
    );
    expect(declined.data.status).toBe("PAYMENT_FAILED");
    const final = await status(cookie, { idempotencyKey: key });
    expect(final.data).toMatchObject({ state: "final", status: 201, body: { status: "PAYMENT_FAILED" } });
    const page = await query(h.url, "orders.get", { id: declined.data.orderId }, { cookie });
    expect(page.data).toMatchObject({ status: "PAYMENT_FAILED", providerCharge: null });
  });

  it("another shopper's key answers exactly like a made-up key", async () => {
    const alice = await h.shopper("alice");
    const bob = await h.shopper("bob");
    const key = newKey();
    expect((await placeOrder(h, alice, key, order([{ productId: "espresso-beans", quantity: 1 }]))).status).toBe(201);
    const theirs = await status(bob, { idempotencyKey: key });
    const madeUp = await status(bob, { idempotencyKey: newKey() });
    expect([theirs.status, theirs.data]).toEqual([200, { state: "unknown" }]);
    expect([madeUp.status, madeUp.data]).toEqual([theirs.status, theirs.data]);
  });

  it("a key of another keyed operation (cart.addItem) is not a checkout: unknown", async () => {
    const cookie = await h.shopper("cart-key");
    const key = newKey();
    const added = await call(
      h.url,
      "cart.addItem",
      { idempotencyKey: key, productId: "green-tea", quantity: 1 },
      { cookie },
    );
    expect(added.status).toBe(201);
    expect((await status(cookie, { idempotencyKey: key })).data).toEqual({ state: "unknown" });
  });

  it("writes nothing, not even an event row, whatever it answers", async () => {
    const cookie = await h.shopper("readonly");
    const key = newKey();
    expect((await placeOrder(h, cookie, key, order([{ productId: "hand-grinder", quantity: 1 }]))).status).toBe(201);
    const before = await everything();
    for (const input of [{ idempotencyKey: key }, { idempotencyKey: newKey() }, { idempotencyKey: "nope" }]) {
      await status(cookie, input);
    }
    await status(undefined, { idempotencyKey: key });
    expect(await everything()).toEqual(before);
  });

  it("refuses bad input with 400 and no session with 401", async () => {
    const cookie = await h.shopper("bad");
    for (const input of [
      undefined,
      {},
      { idempotencyKey: "" },
      { idempotencyKey: "not-a-uuid" },
      { idempotencyKey: 42 },
      { idempotencyKey: `${newKey()}x` },
      { idempotencyKey: newKey(), extra: true },
    ]) {
      const refused = await status(cookie, input);
      expect([refused.status, refused.error?.data?.reason], JSON.stringify(input)).toEqual([400, "INVALID_INPUT"]);
    }
    const anonymous = await status(undefined, { idempotencyKey: newKey() });
    expect([anonymous.status, anonymous.error?.data?.reason]).toEqual([401, "UNAUTHENTICATED"]);
  });
});
