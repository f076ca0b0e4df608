import { describe, expect, it } from "vitest";
import {
  type CheckoutIntent,
  checkoutFingerprint,
  IntentKeyStore,
  type KeyStorage,
  memoryStorage,
  parseCheckoutIntent,
} from "./intent-key";

const cart: CheckoutIntent = {
  items: [
    { productId: "mug", quantity: 2 },
    { productId: "beans", quantity: 1 },
  ],
  token: "tok_visa",
};

function store(storage: KeyStorage = memoryStorage()) {
  let n = 0;
  let clock = 1_000;
  const keys = new IntentKeyStore<CheckoutIntent>(storage, {
    operation: "checkout.placeOrder",
    fingerprint: checkoutFingerprint,
    parseIntent: parseCheckoutIntent,
    newKey: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
    now: () => clock++,
  });
  return { keys, storage, minted: () => n };
}

describe("checkoutFingerprint", () => {
  it("is the same for the same items in any order", () => {
    const reversed = { ...cart, items: [...cart.items].reverse() };
    expect(checkoutFingerprint(reversed)).toBe(checkoutFingerprint(cart));
    expect(checkoutFingerprint(cart)).toBe(
      '{"items":[{"productId":"beans","quantity":1},{"productId":"mug","quantity":2}],"token":"tok_visa"}',
    );
  });

  it("changes with a quantity, a product or the card", () => {
    const base = checkoutFingerprint(cart);
    expect(checkoutFingerprint({ ...cart, token: "tok_declined" })).not.toBe(base);
    expect(
      checkoutFingerprint({
        ...cart,
        items: [
          { productId: "mug", quantity: 3 },
          { productId: "beans", quantity: 1 },
        ],
      }),
    ).not.toBe(base);
    expect(checkoutFingerprint({ ...cart, items: cart.items.slice(0, 1) })).not.toBe(base);
  });
});

describe("IntentKeyStore", () => {
  it("creates the key at the first submit and reuses it for every retry", () => {
    const { keys, minted } = store();
    expect(keys.current(cart)).toBeNull();
    const first = keys.obtain(cart).key;
    expect(keys.obtain(cart).key).toBe(first);
    expect(keys.obtain({ ...cart, items: [...cart.items].reverse() }).key).toBe(first);
    expect(minted()).toBe(1);
  });

  it("survives a reload: a new store over the same storage finds the key", () => {
    const storage = memoryStorage();
    const before = store(storage).keys.obtain(cart).key;
    const afterReload = store(storage).keys;
    expect(afterReload.current(cart)?.key).toBe(before);
    expect(afterReload.unresolved().map((e) => e.key)).toEqual([before]);
    expect(afterReload.unresolved()[0]?.intent).toEqual(cart);
  });

  it("gives a changed cart or card a new key", () => {
    const { keys } = store();
    const original = keys.obtain(cart).key;
    const otherCard = keys.obtain({ ...cart, token: "tok_declined" }).key;
    const otherCart = keys.obtain({ ...cart, items: [{ productId: "mug", quantity: 1 }] }).key;
    expect(new Set([original, otherCard, otherCart]).size).toBe(3);
  });

  it("drops the key once the outcome is final, so the next submit is a new intent", () => {
    const { keys } = store();
    const first = keys.obtain(cart).key;
    keys.drop(cart);
    expect(keys.current(cart)).toBeNull();
    expect(keys.unresolved()).toEqual([]);
    expect(keys.obtain(cart).key).not.toBe(first);
  });

  it("lists unresolved intents newest first and ignores other operations' and hand-edited entries", () => {
    const { keys, storage } = store();
    const a = keys.obtain(cart).key;
    const b = keys.obtain({ ...cart, token: "tok_declined" }).key;
    storage.setItem(
      "rsc:intent:cart.addItem:x",
      JSON.stringify({ key: "k", fingerprint: "x", intent: {}, createdAt: 1 }),
    );
    storage.setItem("rsc:intent:checkout.placeOrder:bogus", "{not json");
    const forged = { key: "evil", fingerprint: "f", intent: cart, createdAt: 9e9 };
    storage.setItem("rsc:intent:checkout.placeOrder:f", JSON.stringify(forged));
    expect(keys.unresolved().map((e) => e.key)).toEqual([b, a]);
  });

  it("still works (for this page) when storage throws", () => {
    const broken: KeyStorage = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("quota");
      },
      removeItem: () => {
        throw new Error("denied");
      },
      key: () => null,
      length: 0,
    };
    const { keys } = store(broken);
    expect(keys.obtain(cart).key).toMatch(/^00000000-/);
    expect(() => keys.drop(cart)).not.toThrow();
    expect(keys.unresolved()).toEqual([]);
  });

  it("uses crypto.randomUUID by default", () => {
    const keys = new IntentKeyStore<CheckoutIntent>(memoryStorage(), {
      operation: "checkout.placeOrder",
      fingerprint: checkoutFingerprint,
      parseIntent: parseCheckoutIntent,
    });
    expect(keys.obtain(cart).key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
