import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "@/server/admin/audit";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { call, query } from "@/test/http-client";
import { providers } from "@/test/test-db";

describe.each(providers)("stock in the cart and at checkout on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(provider);
  });
  afterAll(() => h?.close());

  /** A product with exactly `stock` units and no sales, so the audit's stock invariant still holds. */
  const stockOf = (id: string, stock: number) =>
    h.db.product.update({ where: { id }, data: { stock, initialStock: stock }, select: { name: true } });
  const add = (cookie: string, productId: string, quantity: number, key = newKey()) =>
    call(h.url, "cart.addItem", { idempotencyKey: key, productId, quantity }, { cookie });
  const cartOf = async (cookie: string) =>
    (await query(h.url, "cart.get", undefined, { cookie })).data.items as {
      productId: string;
      quantity: number;
      stock: number;
    }[];

  it("cart.addItem takes up to the stock and refuses beyond it by name, with what is available", async () => {
    await stockOf("last-one", 3);
    const cookie = await h.shopper("stock-add");
    expect((await add(cookie, "last-one", 2)).status).toBe(201);
    expect((await add(cookie, "last-one", 1)).status).toBe(201);
    const key = newKey();
    const beyond = await add(cookie, "last-one", 1, key);
    expect(beyond.status).toBe(409);
    expect(beyond.error.data).toMatchObject({
      reason: "INSUFFICIENT_STOCK",
      productId: "last-one",
      productName: "Limited Edition Siphon",
      available: 3,
      requested: 4,
    });
    expect(beyond.error.message).toBe("Not enough stock: only 3 × Limited Edition Siphon are left (you asked for 4).");
    expect(beyond.error.message).not.toContain("last-one");
    // The refusal rolled the increment back and did not become the key's answer.
    expect(await cartOf(cookie)).toEqual([expect.objectContaining({ productId: "last-one", quantity: 3, stock: 3 })]);
    expect(await h.db.idempotencyRecord.count({ where: { key } })).toBe(0);
  });

  it("twelve simultaneous adds of one unit against 5 in stock fill the line to exactly 5", async () => {
    await stockOf("hand-grinder", 5);
    const cookie = await h.shopper("stock-burst");
    const results = await Promise.all(Array.from({ length: 12 }, () => add(cookie, "hand-grinder", 1)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409).every((r) => r.error.data.reason === "INSUFFICIENT_STOCK")).toBe(
      true,
    );
    expect((await cartOf(cookie)).find((i) => i.productId === "hand-grinder")?.quantity).toBe(5);
  });

  it("cart.setQuantity refuses more than the stock and says so; a sold-out product says sold out", async () => {
    await stockOf("pour-over-kettle", 2);
    await stockOf("paper-filters", 0);
    const cookie = await h.shopper("stock-set");
    expect(
      (await call(h.url, "cart.setQuantity", { productId: "pour-over-kettle", quantity: 2 }, { cookie })).status,
    ).toBe(200);
    const over = await call(h.url, "cart.setQuantity", { productId: "pour-over-kettle", quantity: 3 }, { cookie });
    expect(over.status).toBe(409);
    expect(over.error.message).toBe("Not enough stock: only 2 × Pour-over Kettle are left (you asked for 3).");
    const soldOut = await call(h.url, "cart.setQuantity", { productId: "paper-filters", quantity: 1 }, { cookie });
    expect(soldOut.status).toBe(409);
    expect(soldOut.error.message).toBe("Not enough stock: Paper Filters (100) is sold out.");
    expect((await cartOf(cookie)).map((i) => [i.productId, i.quantity])).toEqual([["pour-over-kettle", 2]]);
  });

  it("checkout names every short product and what is left, and reserves nothing", async () => {
    await stockOf("green-tea", 1);
    await stockOf("milk-frother", 0);
    const cookie = await h.shopper("stock-checkout");
    const before = await h.db.product.findMany({ select: { id: true, stock: true }, orderBy: { id: "asc" } });
    const res = await placeOrder(
      h,
      cookie,
      newKey(),
      order([
        { productId: "ceramic-mug", quantity: 1 },
        { productId: "green-tea", quantity: 2 },
        { productId: "milk-frother", quantity: 1 },
      ]),
    );
    expect(res.status).toBe(409);
    expect(res.error.data).toMatchObject({ reason: "INSUFFICIENT_STOCK", productIds: "green-tea,milk-frother" });
    expect(res.error.message).toBe(
      "Not enough stock: only 1 × Sencha Green Tea is left (you asked for 2); Milk Frother is sold out.",
    );
    // The mug's decrement succeeded before the refusal and was rolled back with it.
    expect(await h.db.product.findMany({ select: { id: true, stock: true }, orderBy: { id: "asc" } })).toEqual(before);
  });

  it("a cart is not a reservation: two carts holding the last units race at checkout, one wins", async () => {
    await stockOf("last-one", 2);
    const [alice, bob] = await Promise.all([h.shopper("stock-race"), h.shopper("stock-race")]);
    for (const cookie of [alice, bob]) expect((await add(cookie ?? "", "last-one", 2)).status).toBe(201);
    const body = order([{ productId: "last-one", quantity: 2 }]);
    const results = await Promise.all([alice, bob].map((c) => placeOrder(h, c ?? "", newKey(), body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const refused = results.find((r) => r.status === 409);
    expect(refused?.error.message).toBe("Not enough stock: Limited Edition Siphon is sold out.");
    expect((await h.db.product.findUniqueOrThrow({ where: { id: "last-one" } })).stock).toBe(0);
    expect((await audit(h.db)).ok).toBe(true);
  });
});
