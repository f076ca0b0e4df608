import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/server/lib/canonical-json";
import { fingerprint } from "./fingerprint";

describe("canonicalJson", () => {
  it("sorts object keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
  it("keeps array order (callers sort arrays whose order means nothing)", () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });
  it("refuses values JSON cannot carry faithfully", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });
});

describe("fingerprint", () => {
  const input = { items: [{ productId: "a", quantity: 1 }], payment: { token: "tok_visa" } };
  it("is a SHA-256 hex digest, equal for equal requests whatever their key order", () => {
    const reordered = { payment: { token: "tok_visa" }, items: [{ quantity: 1, productId: "a" }] };
    expect(fingerprint("op", input)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint("op", reordered)).toBe(fingerprint("op", input));
  });
  it("changes with any field or with the operation", () => {
    const base = fingerprint("op", input);
    expect(fingerprint("other", input)).not.toBe(base);
    expect(fingerprint("op", { ...input, payment: { token: "tok_declined" } })).not.toBe(base);
    expect(fingerprint("op", { ...input, items: [{ productId: "a", quantity: 2 }] })).not.toBe(base);
  });
});
