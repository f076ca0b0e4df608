import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "@/test/app-harness";
import { call, query, uniqueName } from "@/test/http-client";
import { providers } from "@/test/test-db";
import { MAX_NAME_LENGTH } from "./shopper-name";
import { signIn as signInService } from "./sign-in";

describe.each(providers)("session.signIn names on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(provider);
  });
  afterAll(() => h?.close());

  const signIn = (name: string) => call(h.url, "session.signIn", { name });
  const usersNamed = (key: string) => h.db.user.count({ where: { nameKey: key } });

  it("accepts a Unicode name with combining marks, stores it NFC, and one spelling or the other is one shopper", async () => {
    const suffix = uniqueName("").slice(1);
    const composed = `Zoë 李小龍${suffix}`;
    const first = await signIn(composed);
    expect(first.status).toBe(200);
    expect(first.data.name).toBe(composed);
    // The same name typed with "e" + COMBINING DIAERESIS: the same shopper.
    const decomposed = await signIn(`Zoe\u0308 李小龍${suffix}`);
    expect(decomposed.data.userId).toBe(first.data.userId);
    const cookie = decomposed.headers.getSetCookie()[0]?.split(";")[0];
    expect((await query(h.url, "session.me", undefined, { cookie })).data).toMatchObject({ name: composed });
  });

  it("is one shopper per name regardless of case, shown as first typed", async () => {
    const name = uniqueName("Alice");
    const first = await signIn(name);
    const lower = await signIn(name.toLowerCase());
    const upper = await signIn(`  ${name.toUpperCase()} `);
    expect(new Set([first, lower, upper].map((r) => r.data.userId))).toEqual(new Set([first.data.userId]));
    expect(upper.data.name).toBe(name);
    expect(await usersNamed(name.toLowerCase())).toBe(1);
  });

  it("20 simultaneous first sign-ins over HTTP with the name in different cases make one shopper", async () => {
    const name = uniqueName("Racer");
    const spellings = [name, name.toLowerCase(), name.toUpperCase()];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(spellings[i % 3] ?? name)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.data.userId)).size).toBe(1);
    expect(await usersNamed(name.toLowerCase())).toBe(1);
  });

  it("20 simultaneous first sign-ins straight against the database, in two cases, make one shopper and no error", async () => {
    // Without HTTP in between the calls really overlap: a read-then-insert here fails 19 of 20 on PostgreSQL.
    const name = uniqueName("Direct");
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        signInService(h.db, "test-admin", { name: i % 2 ? name : name.toLowerCase() }),
      ),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await usersNamed(name.toLowerCase())).toBe(1);
  });

  it("refuses a name over the limit with a clear message instead of cutting it; the limit itself is kept whole", async () => {
    const before = await h.db.user.count();
    const long = signIn("n".repeat(MAX_NAME_LENGTH + 1));
    const res = await long;
    expect(res.status).toBe(400);
    expect(res.error.data.fieldErrors.name).toEqual([
      `A shopper name is at most ${MAX_NAME_LENGTH} characters; this one has ${MAX_NAME_LENGTH + 1}.`,
    ]);
    expect(res.error.message).toBe(
      `name: A shopper name is at most ${MAX_NAME_LENGTH} characters; this one has ${MAX_NAME_LENGTH + 1}.`,
    );
    expect(await h.db.user.count()).toBe(before);
    const exact = `${uniqueName("x")}${"n".repeat(MAX_NAME_LENGTH)}`.slice(0, MAX_NAME_LENGTH);
    const kept = await signIn(exact);
    expect(kept.status).toBe(200);
    expect(kept.data.name).toBe(exact);
  });

  it.each([
    ["", "Enter a shopper name."],
    ["   ", "Enter a shopper name."],
    ["<b>", `A shopper name may use letters, digits, spaces and . ' _ - (not "<", ">").`],
  ])("refuses %j with a message for people, not validator text", async (name, message) => {
    const res = await signIn(name);
    expect(res.status).toBe(400);
    expect(res.error.data.reason).toBe("INVALID_INPUT");
    expect(res.error.data.fieldErrors).toEqual({ name: [message] });
    expect(res.error.message).toBe(`name: ${message}`);
    expect(res.error.message).not.toMatch(/✖|→/);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});
