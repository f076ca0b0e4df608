import { describe, expect, it } from "vitest";
import { safeReturnPath, signInHref } from "./return-to";

describe("safeReturnPath", () => {
  it.each([
    ["/admin", "/admin"],
    ["/orders/ck123?tab=items#pay", "/orders/ck123?tab=items#pay"],
    ["/", "/"],
    ["/cart/../orders", "/orders"],
  ])("keeps a path on this site: %j", (next, expected) => {
    expect(safeReturnPath(next)).toBe(expected);
  });

  it.each([
    ["another origin", "https://evil.example/admin"],
    ["a protocol-relative URL", "//evil.example/admin"],
    ["a backslash the browser reads as a slash", "/\\evil.example"],
    ["a tab the browser drops", "/\t/evil.example"],
    ["a script URL", "javascript:alert(1)"],
    ["a relative path", "admin"],
    ["the sign-in page itself", "/signin?next=/admin"],
    ["an empty value", ""],
    ["a non-string", ["/admin"]],
    ["an absurdly long value", `/${"a".repeat(3000)}`],
  ])("refuses %s", (_label, next) => {
    expect(safeReturnPath(next)).toBeNull();
  });
});

describe("signInHref", () => {
  it("remembers the asking page, and nothing for home or an unsafe value", () => {
    expect(signInHref("/orders/ck1")).toBe("/signin?next=%2Forders%2Fck1");
    expect(signInHref("/")).toBe("/signin");
    expect(signInHref("//evil.example")).toBe("/signin");
    expect(signInHref(null)).toBe("/signin");
  });
});
