import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, newKey, order, placeOrder, rowCounts, startHarness } from "@/test/app-harness";
import { call } from "@/test/http-client";
import { providers } from "@/test/test-db";

/** Bad input gets a clear 4xx with a reason and changes nothing (row counts asserted). */
describe.each(providers)("bad input on %s", (provider) => {
  let h: Harness;
  let cookie: string;
  beforeAll(async () => {
    h = await startHarness(provider);
    cookie = await h.shopper("bad");
  });
  afterAll(() => h?.close());

  const mug = { productId: "ceramic-mug", quantity: 1 };
  const cases: [string, unknown, number, string][] = [
    ["a 10 kB key", { idempotencyKey: "k".repeat(10_000), ...order([mug]) }, 400, "KEY_INVALID"],
    ["a numeric key", { idempotencyKey: 12345, ...order([mug]) }, 400, "KEY_INVALID"],
    ["an empty key", { idempotencyKey: "", ...order([mug]) }, 400, "KEY_MISSING"],
    ["an empty cart", { idempotencyKey: newKey(), ...order([]) }, 400, "INVALID_INPUT"],
    ["quantity 0", { idempotencyKey: newKey(), ...order([{ ...mug, quantity: 0 }]) }, 400, "INVALID_INPUT"],
    ["a negative quantity", { idempotencyKey: newKey(), ...order([{ ...mug, quantity: -2 }]) }, 400, "INVALID_INPUT"],
    [
      "a fractional quantity",
      { idempotencyKey: newKey(), ...order([{ ...mug, quantity: 1.5 }]) },
      400,
      "INVALID_INPUT",
    ],
    ["a huge quantity", { idempotencyKey: newKey(), ...order([{ ...mug, quantity: 1e12 }]) }, 400, "INVALID_INPUT"],
    [
      "a quantity as text",
      { idempotencyKey: newKey(), items: [{ ...mug, quantity: "2" }], payment: { token: "tok_visa" } },
      400,
      "INVALID_INPUT",
    ],
    ["the same product twice", { idempotencyKey: newKey(), ...order([mug, mug]) }, 400, "INVALID_INPUT"],
    [
      "21 line items",
      {
        idempotencyKey: newKey(),
        ...order(Array.from({ length: 21 }, (_, i) => ({ productId: `p${i}`, quantity: 1 }))),
      },
      400,
      "INVALID_INPUT",
    ],
    ["an unknown card token", { idempotencyKey: newKey(), ...order([mug], "tok_stolen") }, 400, "INVALID_INPUT"],
    ["a missing payment", { idempotencyKey: newKey(), items: [mug] }, 400, "INVALID_INPUT"],
    [
      "a price sent by the client",
      { idempotencyKey: newKey(), items: [{ ...mug, priceCents: 1 }], payment: { token: "tok_visa" } },
      400,
      "INVALID_INPUT",
    ],
    [
      "an unknown product",
      { idempotencyKey: newKey(), ...order([{ productId: "no-such-thing", quantity: 1 }]) },
      404,
      "UNKNOWN_PRODUCT",
    ],
    [
      // The line in stock is reserved first, then rolled back with the refusal (the stock sum is compared).
      "an unknown product after one in stock",
      { idempotencyKey: newKey(), ...order([mug, { productId: "no-such-thing", quantity: 1 }]) },
      404,
      "UNKNOWN_PRODUCT",
    ],
    [
      "one line in stock and one short",
      { idempotencyKey: newKey(), ...order([mug, { productId: "last-one", quantity: 4 }]) },
      409,
      "INSUFFICIENT_STOCK",
    ],
    [
      "more than the stock",
      { idempotencyKey: newKey(), ...order([{ productId: "last-one", quantity: 4 }]) },
      409,
      "INSUFFICIENT_STOCK",
    ],
  ];

  it.each(cases)("placeOrder with %s: %i %s, nothing written", async (_label, input, status, reason) => {
    const before = await rowCounts(h);
    const res = await call(h.url, "checkout.placeOrder", input, { cookie });
    expect(res.status).toBe(status);
    expect(res.error.data.reason).toBe(reason);
    expect(typeof res.error.message).toBe("string");
    expect(await rowCounts(h)).toEqual(before);
  });

  it("refuses a body over 64 kB with 413 before parsing it", async () => {
    const before = await rowCounts(h);
    const res = await placeOrder(h, cookie, newKey(), { ...order([mug]), padding: "x".repeat(100_000) });
    expect(res.status).toBe(413);
    expect(res.error.data.reason).toBe("PAYLOAD_TOO_LARGE");
    expect(await rowCounts(h)).toEqual(before);
  });

  it("refuses a body that is not JSON", async () => {
    const before = await rowCounts(h);
    const res = await call(h.url, "checkout.placeOrder", null, { cookie, rawBody: "{not json" });
    expect(res.status).toBe(400);
    expect(await rowCounts(h)).toEqual(before);
  });

  it("refuses a malformed X-Fault header", async () => {
    const before = await rowCounts(h);
    const res = await placeOrder(h, cookie, newKey(), order([mug]), { "X-Fault": "delay:forever" });
    expect(res.status).toBe(400);
    expect(res.error.data.reason).toBe("INVALID_INPUT");
    expect(await rowCounts(h)).toEqual(before);
  });

  it.each([
    ["quantity 0", { productId: "ceramic-mug", quantity: 0 }, 400, "INVALID_INPUT"],
    ["quantity 11", { productId: "ceramic-mug", quantity: 11 }, 400, "INVALID_INPUT"],
    ["an unknown product", { productId: "nope", quantity: 1 }, 404, "UNKNOWN_PRODUCT"],
  ] as const)("cart.addItem with %s: %i %s, cart unchanged", async (_label, input, status, reason) => {
    const before = await h.db.cartItem.count();
    const res = await call(h.url, "cart.addItem", { idempotencyKey: newKey(), ...input }, { cookie });
    expect(res.status).toBe(status);
    expect(res.error.data.reason).toBe(reason);
    expect(await h.db.cartItem.count()).toBe(before);
    expect(await h.db.idempotencyRecord.count({ where: { operation: "cart.addItem" } })).toBe(0);
  });

  it.each([
    ["an empty name", { name: "" }],
    ["a 41-character name", { name: "n".repeat(41) }],
    ["markup in the name", { name: "<script>" }],
    ["an unknown field", { name: "ok", role: "admin" }],
  ])("session.signIn with %s: 400, no user created", async (_label, input) => {
    const before = await h.db.user.count();
    const res = await call(h.url, "session.signIn", input);
    expect(res.status).toBe(400);
    expect(res.error.data.reason).toBe("INVALID_INPUT");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await h.db.user.count()).toBe(before);
  });

  it("session.signIn with a wrong admin password: 403, no session", async () => {
    const res = await call(h.url, "session.signIn", { name: "mallory", adminPassword: "guess" });
    expect(res.status).toBe(403);
    expect(res.error.data.reason).toBe("FORBIDDEN");
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});
