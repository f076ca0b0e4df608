import { describe, expect, it } from "vitest";
import { inkOn, outcomeStyle } from "./outcome-style";

const channel = (hex: string, at: number) => {
  const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const lum = (hex: string) => 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
const contrast = (a: string, b: string) => {
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

describe("inkOn", () => {
  it("gives every outcome label at least 4.5:1 against its colour", () => {
    for (const [outcome, { color }] of Object.entries(outcomeStyle)) {
      expect(contrast(inkOn(color), color), outcome).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("uses white on dark colours and near-black on light ones", () => {
    expect(inkOn("#7f1d1d")).toBe("#ffffff");
    expect(inkOn("#5eead4")).toBe("#0f172a");
  });
});
