import { describe, expect, it } from "vitest";
import { rowId } from "./row-id";

describe("rowId", () => {
  it("has the shape of Prisma's cuid (v1): c and 24 base-36 characters", () => {
    for (let i = 0; i < 100; i++) expect(rowId()).toMatch(/^c[0-9a-z]{24}$/);
  });

  it("sorts by creation, within one millisecond too, and never repeats", () => {
    const made = Array.from({ length: 5_000 }, () => rowId());
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
  });

  it("sorts after an id made in an earlier millisecond", () => {
    const earlier = `c${(Date.now() - 1).toString(36)}zzzzzzzzzzzzzzzz`;
    expect(rowId() > earlier).toBe(true);
  });
});
