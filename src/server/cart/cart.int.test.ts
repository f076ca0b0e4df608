import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { call, query } from "@/test/http-client";
import { providers } from "@/test/test-db";

describe.each(providers)("cart and orders on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(provider);
  });
  afterAll(() => h?.close());

  const add = (
    cookie: string,
    key: string,
    productId: string,
    quantity: number,
    headers: Record<string, string> = {},
  ) => call(h.url, "cart.addItem", { idempotencyKey: key, productId, quantity }, { cookie, headers });

  it("a retried cart.addItem replays instead of adding twice; a new key adds again", async () => {
    const cookie = await h.shopper("cart");
    const key = newKey();
    const first = await add(cookie, key, "ceramic-mug", 2);
    expect(first.status).toBe(201);
    expect(first.data).toEqual({ productId: "ceramic-mug", quantity: 2, replayed: false });
    const retry = await add(cookie, key, "ceramic-mug", 2);
    expect(retry.status).toBe(200);
    expect(retry.data).toEqual({ productId: "ceramic-mug", quantity: 2, replayed: true });
    const lost = await add(cookie, newKey(), "ceramic-mug", 1, { "X-Fault": "lose-response" });
    expect(lost.status).toBe(504);
    const cart = await query(h.url, "cart.get", undefined, { cookie });
    expect(cart.data.items).toEqual([expect.objectContaining({ productId: "ceramic-mug", quantity: 3 })]);
    expect(cart.data.totalCents).toBe(4200);
  });

  it("20 simultaneous adds with one key add once; with 20 keys add 20 times, in one cart line", async () => {
    const cookie = await h.shopper("cart-burst");
    const key = newKey();
    const same = await Promise.all(Array.from({ length: 20 }, () => add(cookie, key, "green-tea", 1)));
    expect(same.filter((r) => r.status === 201)).toHaveLength(1);
    const distinct = await Promise.all(Array.from({ length: 9 }, () => add(cookie, newKey(), "paper-filters", 1)));
    expect(distinct.every((r) => r.status === 201)).toBe(true);
    const cart = await query(h.url, "cart.get", undefined, { cookie });
    const qty = Object.fromEntries(
      cart.data.items.map((i: { productId: string; quantity: number }) => [i.productId, i.quantity]),
    );
    expect(qty).toEqual({ "green-tea": 1, "paper-filters": 9 });
  });

  it("simultaneous first adds of a shopper with no cart, each with its own key: one cart, one line per product", async () => {
    // Races the two upserts (INSERT ... ON CONFLICT on Cart.userId and CartItem(cartId, productId)): every add
    // starts before any cart exists, so they all insert the cart and half of them the same line at once.
    const { cookie, userId } = await h.shopperWithId("cart-first");
    const adds = await Promise.all(
      Array.from({ length: 12 }, (_, i) => add(cookie, newKey(), i % 2 === 0 ? "green-tea" : "paper-filters", 1)),
    );
    expect(adds.map((r) => r.status)).toEqual(Array(12).fill(201));
    const cart = await query(h.url, "cart.get", undefined, { cookie });
    const qty = Object.fromEntries(
      cart.data.items.map((i: { productId: string; quantity: number }) => [i.productId, i.quantity]),
    );
    expect(qty).toEqual({ "green-tea": 6, "paper-filters": 6 });
    expect(await h.db.cart.count({ where: { userId } })).toBe(1);
  });

  it("a paid order takes its lines out of the cart in its final transaction; a declined one leaves them", async () => {
    const cookie = await h.shopper("cart-pay");
    await call(h.url, "cart.setQuantity", { productId: "ceramic-mug", quantity: 2 }, { cookie });
    await call(h.url, "cart.setQuantity", { productId: "green-tea", quantity: 1 }, { cookie });
    const declined = await placeOrder(
      h,
      cookie,
      newKey(),
      order([{ productId: "ceramic-mug", quantity: 2 }], "tok_declined"),
    );
    expect(declined.data.status).toBe("PAYMENT_FAILED");
    expect((await query(h.url, "cart.get", undefined, { cookie })).data.items).toHaveLength(2);
    const paid = await placeOrder(h, cookie, newKey(), order([{ productId: "ceramic-mug", quantity: 2 }]));
    expect(paid.data.status).toBe("PAID");
    const left = (await query(h.url, "cart.get", undefined, { cookie })).data.items;
    expect(left.map((i: { productId: string }) => i.productId)).toEqual(["green-tea"]);
  });

  it("setQuantity and removeItem are idempotent by nature (no key needed)", async () => {
    const cookie = await h.shopper("cart-set");
    for (let i = 0; i < 3; i++) {
      const res = await call(h.url, "cart.setQuantity", { productId: "hand-grinder", quantity: 2 }, { cookie });
      expect(res.status).toBe(200);
    }
    expect((await query(h.url, "cart.get", undefined, { cookie })).data.items[0].quantity).toBe(2);
    await call(h.url, "cart.removeItem", { productId: "hand-grinder" }, { cookie });
    await call(h.url, "cart.removeItem", { productId: "hand-grinder" }, { cookie });
    expect((await query(h.url, "cart.get", undefined, { cookie })).data.items).toEqual([]);
  });

  it("orders.list and orders.get show only the caller's own orders", async () => {
    const alice = await h.shopper("alice");
    const bob = await h.shopper("bob");
    const mine = await placeOrder(h, alice, newKey(), order([{ productId: "ceramic-mug", quantity: 1 }]));
    expect(mine.status).toBe(201);
    const aliceList = await query(h.url, "orders.list", undefined, { cookie: alice });
    expect(aliceList.data.map((o: { id: string }) => o.id)).toEqual([mine.data.orderId]);
    expect((await query(h.url, "orders.list", undefined, { cookie: bob })).data).toEqual([]);
    const own = await query(h.url, "orders.get", { id: mine.data.orderId }, { cookie: alice });
    expect(own.data).toMatchObject({ id: mine.data.orderId, status: "PAID", payment: { status: "SUCCEEDED" } });
    const theirs = await query(h.url, "orders.get", { id: mine.data.orderId }, { cookie: bob });
    expect(theirs.status).toBe(404);
    expect(JSON.stringify(theirs.error)).not.toContain(mine.data.chargeId);
  });

  it("protects procedures: 401 without a session, 403 admin.* for shoppers, admins see the audit", async () => {
    const shopper = await h.shopper("nosy");
    expect((await query(h.url, "cart.get", undefined)).status).toBe(401);
    expect((await query(h.url, "orders.list", undefined)).status).toBe(401);
    expect((await query(h.url, "admin.audit", undefined)).status).toBe(401);
    const forbidden = await query(h.url, "admin.audit", undefined, { cookie: shopper });
    expect(forbidden.status).toBe(403);
    expect(forbidden.error.data.reason).toBe("FORBIDDEN");
    const admin = (await call(h.url, "session.signIn", { name: "root", adminPassword: "test-admin" })).headers
      .getSetCookie()[0]
      ?.split(";")[0];
    const report = await query(h.url, "admin.audit", undefined, { cookie: admin });
    expect(report.status).toBe(200);
    expect(report.data.ok).toBe(true);
    expect(report.data.invariants.map((i: { name: string }) => i.name)).toEqual(
      expect.arrayContaining(["orders_per_key", "payments_per_order", "charges_per_provider_key", "stock_consistent"]),
    );
    expect((await query(h.url, "catalog.list", undefined)).status).toBe(200);
  });
});
