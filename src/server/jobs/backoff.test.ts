import { describe, expect, it } from "vitest";
import { backoffMs } from "./backoff";

describe("backoffMs", () => {
  const b = { baseMs: 100, capMs: 1_000 };
  it("doubles per attempt between half and all of the ceiling", () => {
    expect(backoffMs(1, b, () => 0)).toBe(50);
    expect(backoffMs(1, b, () => 1)).toBe(100);
    expect(backoffMs(3, b, () => 0)).toBe(200);
    expect(backoffMs(3, b, () => 1)).toBe(400);
  });
  it("is capped", () => {
    expect(backoffMs(30, b, () => 1)).toBe(1_000);
    expect(backoffMs(30, b, () => 0)).toBe(500);
  });
});
