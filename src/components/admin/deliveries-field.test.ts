import { describe, expect, it } from "vitest";
import { MAX_ARMED_DELIVERIES, parseDeliveries } from "./deliveries-field";

describe("parseDeliveries", () => {
  it("takes whole numbers from 1 to the maximum", () => {
    expect(parseDeliveries("1")).toBe(1);
    expect(parseDeliveries(" 5 ")).toBe(5);
    expect(parseDeliveries(String(MAX_ARMED_DELIVERIES))).toBe(MAX_ARMED_DELIVERIES);
  });

  it("refuses an empty field, zero, fractions, too many and words", () => {
    for (const text of ["", "  ", "0", "-1", "1.5", String(MAX_ARMED_DELIVERIES + 1), "five", "1e1x"]) {
      expect(parseDeliveries(text), text).toBeNull();
    }
  });
});
