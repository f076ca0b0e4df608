import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "@/server/admin/audit";
import { fingerprint } from "@/server/idempotency/fingerprint";
import { recoverOnce } from "@/server/recovery-worker";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import type { CallResult } from "@/test/http-client";
import { providers } from "@/test/test-db";
import { PLACE_ORDER } from "./place-order";
import { canonicalOrderRequest, placeOrderRequest } from "./schema";

const TABS = 24;

const violations = async (h: Harness) =>
  Object.fromEntries((await audit(h.db)).invariants.filter((i) => i.violations > 0).map((i) => [i.name, i.ids]));

const reasonOf = (r: CallResult): unknown => r.error?.data?.reason;

/**
 * The duplicate-intent net for new keys (two tabs, one cart): several keys of one shopper with the same
 * intent never both execute within the window unless the later one confirms. Real concurrency over HTTP.
 */
describe.each(providers)("duplicate-intent net on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    // Provider latency widens the window in which the tabs' executions would overlap.
    h = await startHarness(provider, { providerLatencyMs: 30 });
  });
  afterAll(() => h?.close());

  it(`${TABS} simultaneous tabs, fresh keys, same cart: one PAID order, the others 409 DUPLICATE_INTENT_SUSPECTED`, async () => {
    for (const productId of ["espresso-beans", "green-tea", "ceramic-mug"]) {
      const { cookie, userId } = await h.shopperWithId("tabs");
      const cart = order([{ productId, quantity: 1 }]);
      const keys = Array.from({ length: TABS }, () => newKey());
      const results = await Promise.all(keys.map((key) => placeOrder(h, cookie, key, cart)));

      const placed = results.filter((r) => r.status === 201);
      expect(placed, results.map((r) => `${r.status} ${String(reasonOf(r))}`).join(", ")).toHaveLength(1);
      expect(placed[0]?.data.status).toBe("PAID");
      const refused = results.filter((r) => r.status !== 201);
      expect(refused.map((r) => [r.status, reasonOf(r)])).toEqual(
        refused.map(() => [409, "DUPLICATE_INTENT_SUSPECTED"]),
      );
      // Every refusal names what it duplicates: the order, or the attempt still in progress.
      for (const r of refused) {
        const { orderId, inProgressKey } = r.error.data;
        expect(orderId === placed[0]?.data.orderId || keys.includes(inProgressKey)).toBe(true);
      }

      expect(await h.db.order.count({ where: { userId } })).toBe(1);
      expect(await h.db.payment.count({ where: { order: { userId } } })).toBe(1);
      const records = await h.db.idempotencyRecord.findMany({ where: { userId }, select: { intentClaim: true } });
      // Refusals are not stored as the keys' answers, and the finished record gave its claim back.
      expect(records).toEqual([{ intentClaim: null }]);
    }
    expect(await violations(h)).toEqual({});
  });

  it("a slow tab and a later one: the later one is refused while the first is in flight, then named its order", async () => {
    const { cookie, userId } = await h.shopperWithId("slow");
    const cart = order([{ productId: "paper-filters", quantity: 2 }]);
    const slowKey = newKey();
    const slow = placeOrder(h, cookie, slowKey, cart, { "X-Fault": "delay:1500" });
    await expect.poll(() => h.db.idempotencyRecord.count({ where: { key: slowKey } })).toBe(1);

    const later = await placeOrder(h, cookie, newKey(), cart);
    expect(later.status).toBe(409);
    expect(later.error.data).toMatchObject({ reason: "DUPLICATE_INTENT_SUSPECTED", inProgressKey: slowKey });

    const first = await slow;
    expect(first.status).toBe(201);
    const afterwards = await placeOrder(h, cookie, newKey(), cart);
    expect(afterwards.status).toBe(409);
    expect(afterwards.error.data).toMatchObject({ reason: "DUPLICATE_INTENT_SUSPECTED", orderId: first.data.orderId });
    expect(afterwards.error.data.inProgressKey).toBeUndefined();
    expect(await h.db.order.count({ where: { userId } })).toBe(1);
  });

  it("the in-flight refusal names the attempt's order once it has one", async () => {
    const { cookie } = await h.shopperWithId("named");
    const cart = order([{ productId: "milk-frother", quantity: 1 }]);
    const slowKey = newKey();
    // Crashes right after the charge: the record stays in progress, with its order, until its lease ends.
    const crashed = await placeOrder(h, cookie, slowKey, cart, { "X-Fault": "crash-after-charge" });
    expect(crashed.status).toBe(502);
    const { order: pending } = await h.db.idempotencyRecord.findFirstOrThrow({
      where: { key: slowKey },
      select: { order: { select: { id: true } } },
    });
    const twin = await placeOrder(h, cookie, newKey(), cart);
    expect(twin.status).toBe(409);
    expect(twin.error.data).toMatchObject({
      reason: "DUPLICATE_INTENT_SUSPECTED",
      inProgressKey: slowKey,
      orderId: pending?.id,
    });
  });

  it("a confirmed repeat places a second order, recorded as confirmed, and the audit stays green", async () => {
    const { cookie, userId } = await h.shopperWithId("confirmed");
    const cart = order([{ productId: "cold-brew-jar", quantity: 1 }]);
    expect((await placeOrder(h, cookie, newKey(), cart)).status).toBe(201);
    const key = newKey();
    expect((await placeOrder(h, cookie, key, cart)).status).toBe(409);
    const repeat = await placeOrder(h, cookie, key, { ...cart, confirmDuplicate: true });
    expect(repeat.status).toBe(201);

    const orders = await h.db.order.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
    expect(orders.map((o) => [o.status, o.confirmedRepeat])).toEqual([
      ["PAID", false],
      ["PAID", true],
    ]);
    expect(await violations(h)).toEqual({});
  });

  it("a repeat confirmed while the first tab is still in flight: two orders in either finishing order, audit green", async () => {
    const { cookie, userId } = await h.shopperWithId("confirm-in-flight");
    const cart = order([{ productId: "travel-tumbler", quantity: 1 }]);
    const slowKey = newKey();
    const slow = placeOrder(h, cookie, slowKey, cart, { "X-Fault": "delay:1500" });
    await expect.poll(() => h.db.idempotencyRecord.count({ where: { key: slowKey } })).toBe(1);
    const key = newKey();
    expect(reasonOf(await placeOrder(h, cookie, key, cart))).toBe("DUPLICATE_INTENT_SUSPECTED");
    // The confirmed repeat finishes first: the unconfirmed order is the later one, and that is not a miss.
    expect((await placeOrder(h, cookie, key, { ...cart, confirmDuplicate: true })).status).toBe(201);
    expect((await slow).status).toBe(201);
    expect(await h.db.order.count({ where: { userId, status: "PAID" } })).toBe(2);
    expect(await violations(h)).toEqual({});
  });

  it("the audit catches a miss of the net (two unconfirmed PAID orders of one intent), only within the window", async () => {
    const { cookie } = await h.shopperWithId("miss");
    const cart = order([{ productId: "almond-biscotti", quantity: 1 }]);
    const first = await placeOrder(h, cookie, newKey(), cart);
    const second = await placeOrder(h, cookie, newKey(), { ...cart, confirmDuplicate: true });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect((await violations(h)).no_unconfirmed_repeat_charge).toBeUndefined();

    // Seed the miss: the second order as if it had slipped past the net without a confirmation.
    await h.db.order.update({ where: { id: second.data.orderId }, data: { confirmedRepeat: false } });
    expect((await violations(h)).no_unconfirmed_repeat_charge).toEqual([second.data.orderId]);
    expect((await audit(h.db)).ok).toBe(false);

    // The same two orders an hour apart are two purchases.
    await h.db.order.update({
      where: { id: first.data.orderId },
      data: { createdAt: new Date(Date.now() - 3_600_000) },
    });
    expect((await violations(h)).no_unconfirmed_repeat_charge).toBeUndefined();
    await h.db.order.update({ where: { id: second.data.orderId }, data: { confirmedRepeat: true } });
  });

  it("a declined first tab does not block the next card: failed orders are not duplicates", async () => {
    const { cookie } = await h.shopperWithId("declined");
    const declined = await placeOrder(
      h,
      cookie,
      newKey(),
      order([{ productId: "hand-grinder", quantity: 1 }], "tok_declined"),
    );
    expect(declined.data.status).toBe("PAYMENT_FAILED");
    const again = await placeOrder(
      h,
      cookie,
      newKey(),
      order([{ productId: "hand-grinder", quantity: 1 }], "tok_declined"),
    );
    expect(again.status).toBe(201);
  });

  it("an attempt that died between its claim and its check is rechecked by the recovery worker", async () => {
    const { cookie, userId } = await h.shopperWithId("died-before-check");
    const repeated = order([{ productId: "pour-over-kettle", quantity: 1 }]);
    const fresh = order([{ productId: "pour-over-kettle", quantity: 2 }]);
    expect((await placeOrder(h, cookie, newKey(), repeated)).status).toBe(201);
    /** A record as an attempt leaves it when it dies right after inserting it (claim held, lease expired). */
    const diedAfterInsert = (body: object) => {
      const request = canonicalOrderRequest(placeOrderRequest.parse(body));
      const fp = fingerprint(PLACE_ORDER, request);
      return h.db.idempotencyRecord.create({
        data: {
          userId,
          key: newKey(),
          operation: PLACE_ORDER,
          fingerprint: fp,
          intentClaim: fp,
          requestJson: JSON.stringify(request),
          recoveryPoint: "STARTED",
          lockedUntil: new Date(Date.now() - 1_000),
          expiresAt: new Date(Date.now() + 60_000),
        },
      });
    };
    const duplicate = await diedAfterInsert(repeated);
    const distinct = await diedAfterInsert(fresh);

    await recoverOnce(h.services);
    // The repeat of a recent order is dropped unexecuted; the distinct intent is placed.
    expect(await h.db.idempotencyRecord.count({ where: { id: duplicate.id } })).toBe(0);
    const placed = await h.db.idempotencyRecord.findUniqueOrThrow({ where: { id: distinct.id } });
    expect([placed.status, placed.intentClaim]).toEqual(["COMPLETED", null]);
    expect(await h.db.order.count({ where: { userId, status: "PAID" } })).toBe(2);
    expect(await violations(h)).toEqual({});
  });
});
