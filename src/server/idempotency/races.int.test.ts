import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
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
 * The same database, but one method of idempotencyRecord is held at the gate: its query is sent only once
 * the gate opens ("send-late"), or sent at once and its answer delivered only then ("answer-late").
 */
function holdBack(
  db: Db,
  method: "findFirst" | "findUnique",
  when: "send-late" | "answer-late",
  g: { opened: Promise<void> },
  seen: { calls: number },
): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "idempotencyRecord") return Reflect.get(target, prop, receiver);
      return new Proxy(target.idempotencyRecord, {
        get(model, name, r) {
          if (name !== method) return Reflect.get(model, name, r);
          return async (args: never) => {
            seen.calls++;
            if (when === "send-late") await g.opened;
            const result = await (model[method] as (a: never) => Promise<unknown>)(args);
            if (when === "answer-late") await g.opened;
            return result;
          };
        },
      });
    },
  });
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
    const slowB = takeOver(holdBack(t.db, "findFirst", "send-late", g, { calls: 0 }), cfg, record.id, 0);
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
      holdBack(t.db, "findUnique", "answer-late", g, seen),
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
