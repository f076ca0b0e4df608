import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { resolveKey } from "./key";

const reasonOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? e.reason : "not a DomainError";
  }
  return "no error";
};

describe("resolveKey", () => {
  const key = randomUUID();
  it("takes the key from the input or the header, normalised to lower case", () => {
    expect(resolveKey(key, null)).toBe(key);
    expect(resolveKey(undefined, key)).toBe(key);
    expect(resolveKey(key.toUpperCase(), null)).toBe(key);
    expect(resolveKey(key, key)).toBe(key);
  });
  it("refuses missing, empty, non-UUID, over-long and non-string keys", () => {
    expect(reasonOf(() => resolveKey(undefined, null))).toBe("KEY_MISSING");
    expect(reasonOf(() => resolveKey("", null))).toBe("KEY_MISSING");
    expect(reasonOf(() => resolveKey("order-1", null))).toBe("KEY_INVALID");
    expect(reasonOf(() => resolveKey("a".repeat(256), null))).toBe("KEY_INVALID");
    expect(reasonOf(() => resolveKey(42, null))).toBe("KEY_INVALID");
  });
  it("refuses an input key and a header key that differ", () => {
    expect(reasonOf(() => resolveKey(key, randomUUID()))).toBe("KEY_SOURCES_DIFFER");
  });
});
