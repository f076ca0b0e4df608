import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { parseKeyHeader, resolveKey } from "./key";

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

describe("the Idempotency-Key header forms", () => {
  const key = randomUUID();
  it("takes the bare form and the structured-field string form as the same key", () => {
    expect(resolveKey(undefined, key)).toBe(key);
    expect(resolveKey(undefined, `"${key}"`)).toBe(key);
    expect(resolveKey(undefined, ` "${key}" `)).toBe(key);
    expect(resolveKey(undefined, `"${key.toUpperCase()}"`)).toBe(key);
    expect(resolveKey(key, `"${key}"`)).toBe(key);
    expect(parseKeyHeader(`"${key}"`)).toBe(key);
    expect(parseKeyHeader(null)).toBeNull();
  });
  it("reads sf-string escapes, so an escaped quote is part of the value (and not a UUID)", () => {
    expect(parseKeyHeader('"a\\"b"')).toBe('a"b');
    expect(parseKeyHeader('"a\\\\b"')).toBe("a\\b");
    expect(reasonOf(() => resolveKey(undefined, `"${key}\\""`))).toBe("KEY_INVALID");
  });
  it("refuses malformed quoted values with KEY_INVALID", () => {
    for (const bad of [
      `"${key}`, // unterminated
      `"${key}" trailing`, // junk after the string
      `"${key}";v=1`, // parameters
      `"${key}", "${key}"`, // a list, not one item
      `"\\x${key}"`, // escape of something other than \\ or "
      `"${key}é"`, // non-ASCII
      '""', // empty string
      `"${key}"garbage`,
    ]) {
      expect(
        reasonOf(() => resolveKey(undefined, bad)),
        bad,
      ).toMatch(/^KEY_(INVALID|MISSING)$/);
    }
    expect(reasonOf(() => resolveKey(undefined, '""'))).toBe("KEY_MISSING");
    expect(reasonOf(() => resolveKey(undefined, `"${key}";v=1`))).toBe("KEY_INVALID");
  });
  it("compares the decoded header with the input key", () => {
    expect(reasonOf(() => resolveKey(key, `"${randomUUID()}"`))).toBe("KEY_SOURCES_DIFFER");
  });
});
