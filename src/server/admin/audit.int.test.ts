import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recoverOnce } from "@/server/recovery-worker";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { call } from "@/test/http-client";
import { providers } from "@/test/test-db";
import { audit } from "./audit";

const violations = async (h: Harness) =>
  Object.fromEntries((await audit(h.db)).invariants.filter((i) => i.violations > 0).map((i) => [i.name, i.ids]));

/** The audit must be able to fail: corrupt the data on purpose and watch each invariant catch it. */
describe.each(providers)("admin audit on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(provider, { engine: { ttlMs: 400 } });
  });
  afterAll(() => h?.close());

  it("is clean after normal checkouts", async () => {
    const cookie = await h.shopper();
    expect((await placeOrder(h, cookie, newKey(), order([{ productId: "ceramic-mug", quantity: 2 }]))).status).toBe(
      201,
    );
    expect(await violations(h)).toEqual({});
  });

  it("catches a charge without payment, a paid order without payment, stock drift and negative stock", async () => {
    const cookie = await h.shopper();
    const placed = await placeOrder(h, cookie, newKey(), order([{ productId: "green-tea", quantity: 1 }]));
    await h.db.payment.delete({ where: { orderId: placed.data.orderId } });
    await h.db.providerCharge.create({
      data: {
        id: "ch_orphan",
        providerKey: "orphan:charge",
        paramsHash: "x",
        amountCents: 100,
        token: "tok_visa",
        status: "SUCCEEDED",
      },
    });
    await h.db.product.update({ where: { id: "almond-biscotti" }, data: { stock: -1 } });
    const user = await h.db.user.findFirstOrThrow();
    const stuck = await h.db.idempotencyRecord.create({
      data: {
        userId: user.id,
        key: newKey(),
        operation: "checkout.placeOrder",
        fingerprint: "x",
        requestJson: "{}",
        recoveryPoint: "ORDER_CREATED",
        lockedUntil: null,
        expiresAt: new Date(Date.now() + 60_000),
        updatedAt: new Date(Date.now() - 10 * 60_000),
      },
    });
    // A finished record whose event is missing: its event commits with it, so only a bug (or a hand) can do this.
    const silent = await h.db.idempotencyRecord.create({
      data: {
        userId: user.id,
        key: newKey(),
        operation: "checkout.placeOrder",
        fingerprint: "y",
        requestJson: "{}",
        status: "COMPLETED",
        recoveryPoint: "FINISHED",
        responseStatus: 201,
        responseJson: "{}",
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    const found = await violations(h);
    expect(found.charge_without_payment).toEqual(expect.arrayContaining(["ch_orphan", placed.data.chargeId]));
    expect(found.paid_order_without_payment).toEqual([placed.data.orderId]);
    expect(found.stock_not_negative).toEqual(["almond-biscotti"]);
    expect(found.stock_consistent).toEqual(["almond-biscotti"]);
    expect(found.no_stuck_records).toEqual([stuck.id]);
    // The stuck record's attempt may have died before any event (a kill -9 writes none): not this invariant's.
    expect(found.record_has_event).toEqual([silent.id]);
    expect((await audit(h.db)).ok).toBe(false);
  });

  it("catches the unsafe baseline's double charge, and only the repeat within the duplicate window", async () => {
    const cookie = await h.shopper("unsafe");
    const unsafe = (items: { productId: string; quantity: number }[]) =>
      call(h.url, "checkout.placeOrderUnsafe", order(items), { cookie });
    // A double click without a key: two paid orders, two charges of one intent.
    const [first, second] = await Promise.all([
      unsafe([{ productId: "milk-frother", quantity: 1 }]),
      unsafe([{ productId: "milk-frother", quantity: 1 }]),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    // A single unkeyed order of another cart, and a keyed repeat the shopper confirmed: no double charge.
    expect((await unsafe([{ productId: "travel-tumbler", quantity: 1 }])).status).toBe(201);
    const keyed = order([{ productId: "cold-brew-jar", quantity: 1 }]);
    expect((await placeOrder(h, cookie, newKey(), keyed)).status).toBe(201);
    expect((await placeOrder(h, cookie, newKey(), { ...keyed, confirmDuplicate: true })).status).toBe(201);

    const pair = await h.db.order.findMany({
      where: { id: { in: [first.data.orderId, second.data.orderId] } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    const later = pair[1]?.id;
    expect((await violations(h)).no_unkeyed_repeat_charge).toEqual([later]);

    // The same two orders an hour apart are two purchases, not a double charge.
    await h.db.order.update({ where: { id: pair[0]?.id }, data: { createdAt: new Date(Date.now() - 3_600_000) } });
    expect((await violations(h)).no_unkeyed_repeat_charge).toBeUndefined();
  });

  it("sweeps completed records past their TTL, after which the key is new again", async () => {
    const cookie = await h.shopper("ttl");
    const key = newKey();
    const body = order([{ productId: "paper-filters", quantity: 1 }]);
    const first = await placeOrder(h, cookie, key, body);
    expect(first.status).toBe(201);
    await expect
      .poll(
        async () => {
          await recoverOnce(h.services);
          return h.db.idempotencyRecord.count({ where: { key } });
        },
        { timeout: 5_000, interval: 100 },
      )
      .toBe(0);
    const again = await placeOrder(h, cookie, key, { ...body, confirmDuplicate: true });
    expect(again.status).toBe(201);
    expect(again.data.orderId).not.toBe(first.data.orderId);
  });
});
