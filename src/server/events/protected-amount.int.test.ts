import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { providers } from "@/test/test-db";

/** "Money protected" on the dashboard: each absorbed duplicate records what it would have charged. */
describe.each(providers)("amountCents of absorbed duplicates on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(provider, { engine: { duplicateWindowMs: 60_000 } });
  });
  afterAll(() => h?.close());

  const eventsOf = (key: string) =>
    h.db.requestEvent.findMany({
      where: { key },
      orderBy: { createdAt: "asc" },
      select: { outcome: true, amountCents: true },
    });

  it("prices a replay and a suspected duplicate at the original order's total; the execution itself protects nothing", async () => {
    const cookie = await h.shopper();
    const body = order([{ productId: "ceramic-mug", quantity: 2 }]);
    const first = newKey();
    const placed = await placeOrder(h, cookie, first, body);
    expect(placed.status).toBe(201);
    const total = placed.data.totalCents;
    expect((await placeOrder(h, cookie, first, body)).status).toBe(200);
    expect(await eventsOf(first)).toEqual([
      { outcome: "EXECUTED", amountCents: null },
      { outcome: "REPLAYED", amountCents: total },
    ]);

    const second = newKey();
    const suspected = await placeOrder(h, cookie, second, body);
    expect(suspected.status).toBe(409);
    expect(suspected.error.data.reason).toBe("DUPLICATE_INTENT_SUSPECTED");
    expect(await eventsOf(second)).toEqual([{ outcome: "DUPLICATE_SUSPECTED", amountCents: total }]);
  });

  it("prices an in-flight conflict once its twin has created the order, and leaves other refusals unpriced", async () => {
    const cookie = await h.shopper();
    const key = newKey();
    const body = order([{ productId: "green-tea", quantity: 1 }]);
    // The first attempt dies after the charge: its record stays in progress, its order exists.
    const crashed = await placeOrder(h, cookie, key, body, { "X-Fault": "crash-after-charge" });
    expect(crashed.status).toBeGreaterThanOrEqual(500);
    const conflict = await placeOrder(h, cookie, key, body);
    expect(conflict.status).toBe(409);
    const orderTotal = (
      await h.db.order.findFirst({ where: { idempotencyRecord: { key } }, select: { totalCents: true } })
    )?.totalCents;
    expect(orderTotal).toBeGreaterThan(0);
    const events = await eventsOf(key);
    expect(events.at(-1)).toEqual({ outcome: "IN_FLIGHT_CONFLICT", amountCents: orderTotal });

    const mismatch = await placeOrder(h, cookie, key, order([{ productId: "ceramic-mug", quantity: 5 }]));
    expect(mismatch.status).toBe(422);
    expect((await eventsOf(key)).at(-1)).toEqual({ outcome: "FINGERPRINT_MISMATCH", amountCents: null });
  });
});
