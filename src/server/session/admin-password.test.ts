import { describe, expect, it } from "vitest";
import { samePassword } from "./sign-in";

describe("admin password check", () => {
  it("accepts exactly the password, whatever the lengths involved", () => {
    expect(samePassword("correct horse", "correct horse")).toBe(true);
    expect(samePassword("correct hors", "correct horse")).toBe(false);
    expect(samePassword("correct horse!", "correct horse")).toBe(false);
    expect(samePassword("", "correct horse")).toBe(false);
    expect(samePassword("x".repeat(10_000), "correct horse")).toBe(false);
    expect(samePassword("Correct horse", "correct horse")).toBe(false);
    expect(samePassword("pässwörd", "pässwörd")).toBe(true);
  });
});
