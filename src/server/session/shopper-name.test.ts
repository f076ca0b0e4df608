import { describe, expect, it } from "vitest";
import { MAX_NAME_LENGTH, nameKey, shopperName } from "./shopper-name";

const parse = (raw: unknown) => {
  const result = shopperName.safeParse(raw);
  return result.success ? { name: result.data } : { error: result.error.issues.map((i) => i.message) };
};

describe("shopper names", () => {
  it.each([
    ["", "Enter a shopper name."],
    ["   \t ", "Enter a shopper name."],
    [undefined, "Enter a shopper name."],
    [42, "Enter a shopper name."],
  ])("refuses %j: %s", (raw, message) => {
    expect(parse(raw)).toEqual({ error: [message] });
  });

  it("accepts letters of any script, combining marks included, and stores them NFC", () => {
    expect(parse("Zoë 李小龍")).toEqual({ name: "Zoë 李小龍" });
    // "e" + U+0308 COMBINING DIAERESIS becomes the one precomposed "ë".
    const decomposed = "Zoe\u0308";
    expect(parse(decomposed)).toEqual({ name: "Zo\u00eb" });
    // A mark with no precomposed form stays a mark, and is allowed.
    expect(parse("Ṩ̃ara")).toEqual({ name: "Ṩ̃ara".normalize("NFC") });
    expect(parse("O'Brien-Smith Jr.")).toEqual({ name: "O'Brien-Smith Jr." });
    expect(parse("Ана Мария")).toEqual({ name: "Ана Мария" });
  });

  it("trims and collapses whitespace, counting characters after that", () => {
    expect(parse("  ada \t  lovelace ")).toEqual({ name: "ada lovelace" });
    expect(parse(` ${"n".repeat(MAX_NAME_LENGTH)} `)).toEqual({ name: "n".repeat(MAX_NAME_LENGTH) });
  });

  it("refuses a name over the limit instead of cutting it, saying how long it is", () => {
    expect(parse("n".repeat(MAX_NAME_LENGTH + 1))).toEqual({
      error: [`A shopper name is at most ${MAX_NAME_LENGTH} characters; this one has ${MAX_NAME_LENGTH + 1}.`],
    });
    // 40 characters of a script outside the BMP are 80 UTF-16 units: still 40 characters, accepted.
    expect(parse("𠀀".repeat(MAX_NAME_LENGTH))).toEqual({ name: "𠀀".repeat(MAX_NAME_LENGTH) });
    // 40 decomposed "ë" are 80 code points before NFC, 40 after: accepted.
    expect(parse("e\u0308".repeat(MAX_NAME_LENGTH))).toEqual({ name: "\u00eb".repeat(MAX_NAME_LENGTH) });
    expect(parse("x".repeat(5000))).toEqual({ error: [`A shopper name is at most ${MAX_NAME_LENGTH} characters.`] });
  });

  it("names the characters it refuses", () => {
    expect(parse("<script>")).toEqual({
      error: ['A shopper name may use letters, digits, spaces and . \' _ - (not "<", ">").'],
    });
    expect(parse("ann😀")).toEqual({
      error: ['A shopper name may use letters, digits, spaces and . \' _ - (not "😀").'],
    });
    // A lone combining mark is a mark, but a control character is not allowed.
    expect(parse("a\u0000b")).toEqual({
      error: ['A shopper name may use letters, digits, spaces and . \' _ - (not "\u0000").'],
    });
  });

  it("gives names that differ only in case (or in normal form) one key", () => {
    expect(nameKey("Alice")).toBe(nameKey("alice"));
    expect(nameKey("ZOË")).toBe(nameKey("zoe\u0308"));
    expect(nameKey("Straße")).toBe(nameKey("STRASSE"));
    expect(nameKey(" Ada  Lovelace ")).toBe(nameKey("ada lovelace"));
    expect(nameKey("alice")).not.toBe(nameKey("alicia"));
    expect(nameKey("李小龍")).toBe("李小龍");
  });
});
