import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUniqueViolation, violatesUniqueOn } from "@/server/lib/unique-violation";
import { createTestDatabase, providers, type TestDatabase } from "@/test/test-db";

describe.each(providers)("IdempotencyRecord unique (userId, key) on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider, { seed: false });
  });
  afterAll(() => t?.drop());

  const record = (userId: string, key: string) => ({
    userId,
    key,
    operation: "test.op",
    fingerprint: "f",
    requestJson: "{}",
    recoveryPoint: "STARTED",
    expiresAt: new Date(Date.now() + 60_000),
  });

  it("refuses a second insert of the same (user, key) through the database constraint", async () => {
    const user = await t.db.user.create({ data: { name: `u-${randomUUID()}` } });
    const key = randomUUID();
    await t.db.idempotencyRecord.create({ data: record(user.id, key) });
    const second = await t.db.idempotencyRecord.create({ data: record(user.id, key) }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isUniqueViolation(second)).toBe(true);
    expect(await t.db.idempotencyRecord.count({ where: { userId: user.id, key } })).toBe(1);
  });

  it("lets another user hold the same key", async () => {
    const [a, b] = await Promise.all([
      t.db.user.create({ data: { name: `a-${randomUUID()}` } }),
      t.db.user.create({ data: { name: `b-${randomUUID()}` } }),
    ]);
    const key = randomUUID();
    await t.db.idempotencyRecord.create({ data: record(a.id, key) });
    await t.db.idempotencyRecord.create({ data: record(b.id, key) });
    expect(await t.db.idempotencyRecord.count({ where: { key } })).toBe(2);
  });

  it("lets exactly one of many simultaneous inserts of one (user, key) win", async () => {
    const user = await t.db.user.create({ data: { name: `r-${randomUUID()}` } });
    const key = randomUUID();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => t.db.idempotencyRecord.create({ data: record(user.id, key) })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected.every((r) => isUniqueViolation(r.reason))).toBe(true);
  });

  it("holds one claim per (user, intent), lets final records and confirmed repeats be many, and names which constraint refused", async () => {
    const user = await t.db.user.create({ data: { name: `c-${randomUUID()}` } });
    const claimed = (intentClaim: string | null) => ({ ...record(user.id, randomUUID()), intentClaim });
    await t.db.idempotencyRecord.create({ data: claimed("intent-1") });
    const refused = await t.db.idempotencyRecord.create({ data: claimed("intent-1") }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(violatesUniqueOn(refused, "intentClaim")).toBe(true);
    expect(violatesUniqueOn(refused, "key")).toBe(false);
    // NULL claims are distinct on both databases.
    await t.db.idempotencyRecord.create({ data: claimed(null) });
    await t.db.idempotencyRecord.create({ data: claimed(null) });
    await t.db.idempotencyRecord.create({ data: claimed("intent-2") });
    expect(await t.db.idempotencyRecord.count({ where: { userId: user.id } })).toBe(4);

    const key = randomUUID();
    await t.db.idempotencyRecord.create({ data: record(user.id, key) });
    const sameKey = await t.db.idempotencyRecord.create({ data: record(user.id, key) }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(violatesUniqueOn(sameKey, "key")).toBe(true);
    expect(violatesUniqueOn(sameKey, "intentClaim")).toBe(false);
  });
});
