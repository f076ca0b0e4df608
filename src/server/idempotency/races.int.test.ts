import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, wrapSql } from "@/server/db";
import type { SqlValue } from "@/server/lib/sql";
import { createServices } from "@/server/services";
import { createTestDatabase, providers, type TestDatabase } from "@/test/test-db";
import { runIdempotent } from "./engine";
import { takeOver } from "./record-store";

/** A gate the test opens when it has arranged the interleaving it wants (no sleeps). */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * The same database, but every read of an idempotency record (on the SQL path: acquire's lookup, takeOver's
 * read of its lease) is held at the gate: sent only once the gate opens ("send-late"), or sent at once and
 * its answer delivered only then ("answer-late").
 */
function holdBack(
  db: Db,
  when: "send-late" | "answer-late",
  g: { opened: Promise<void> },
  seen: { calls: number },
): Db {
  return wrapSql(db, (sql) => ({
    ...sql,
    async rows<T extends Record<string, unknown>>(text: string, params?: readonly SqlValue[]) {
      if (!/^\s*SELECT[\s\S]*FROM "IdempotencyRecord"/.test(text)) return sql.rows<T>(text, params);
      seen.calls++;
      if (when === "send-late") await g.opened;
      const rows = await sql.rows<T>(text, params);
      if (when === "answer-late") await g.opened;
      return rows;
    },
  }));
}

/** Interleavings found by the duplicate-storm benchmark, replayed deterministically. */
describe.each(providers)("engine races on %s", (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(() => t?.drop());

  it("a takeover whose read is overtaken by a newer takeover never adopts the newer lease", async () => {
    const cfg = { leaseMs: 60_000, ttlMs: 60_000, duplicateWindowMs: 60_000, maxFailures: 5 };
    const user = await t.db.user.create({ data: { name: `race-${randomUUID()}` } });
    const record = await t.db.idempotencyRecord.create({
      data: {
        userId: user.id,
        key: randomUUID(),
        operation: "checkout.placeOrder",
        fingerprint: "f",
        requestJson: "{}",
        recoveryPoint: "ORDER_CREATED",
        lockedUntil: new Date(Date.now() - 1_000), // a crashed attempt's expired lease
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    const g = gate();
    const slowB = takeOver(holdBack(t.db, "send-late", g, { calls: 0 }), cfg, record.id, 0);
    await expect
      .poll(async () => (await t.db.idempotencyRecord.findUniqueOrThrow({ where: { id: record.id } })).leaseVersion)
      .toBe(1);
    // B's lease runs out before its read arrives (as on a loaded instance); C takes over and finishes.
    await t.db.idempotencyRecord.update({ where: { id: record.id }, data: { lockedUntil: new Date(Date.now() - 1) } });
    const c = await takeOver(t.db, cfg, record.id, 1);
    expect(c?.leaseVersion).toBe(2);
    await t.db.idempotencyRecord.update({
      where: { id: record.id },
      data: {
        status: "COMPLETED",
        recoveryPoint: "FINISHED",
        lockedUntil: null,
        responseStatus: 201,
        responseJson: "{}",
      },
    });
    g.open();
    expect(await slowB).toBeNull();
  });

  it("a copy whose 'no record yet' lookup is overtaken by its same-key twin gets the replay, not a duplicate refusal", async () => {
    const services = createServices({ db: t.db });
    const user = await t.db.user.create({ data: { name: `dup-${randomUUID()}` } });
    const call = {
      userId: user.id,
      key: randomUUID(),
      input: { items: [{ productId: "green-tea", quantity: 1 }], payment: { token: "tok_visa" as const } },
    };
    const g = gate();
    const seen = { calls: 0 };
    const late = runIdempotent(
      holdBack(t.db, "answer-late", g, seen),
      services.engine,
      services.operations.placeOrder,
      call,
    );
    await expect.poll(() => seen.calls).toBe(1); // its lookup has read "no record"
    const first = await runIdempotent(t.db, services.engine, services.operations.placeOrder, call);
    expect(first.outcome).toBe("EXECUTED");
    g.open();
    const second = await late;
    expect(second.outcome).toBe("REPLAYED");
    expect(second.body).toEqual(first.body);
  });
});
