import { describe, expect, it } from "vitest";
import { plural } from "./plural";

describe("plural", () => {
  it.each([
    [0, "0 invariants"],
    [1, "1 invariant"],
    [2, "2 invariants"],
    [1500, "1,500 invariants"],
  ])("%i → %s", (n, text) => {
    expect(plural(n, "invariant")).toBe(text);
  });

  it("takes an irregular plural", () => {
    expect(plural(1, "delivery", "deliveries")).toBe("1 delivery");
    expect(plural(3, "delivery", "deliveries")).toBe("3 deliveries");
  });
});
