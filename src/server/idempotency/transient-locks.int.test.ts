import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "@/server/admin/audit";
import { sqliteFilePath } from "@/server/db";
import { type Harness, newKey, order, placeOrder, rowCounts, startHarness } from "@/test/app-harness";
import { providers } from "@/test/test-db";

/**
 * A real lock held by another connection, past the app's own wait (SQLite busy timeout, PostgreSQL
 * lock_timeout): every keyed request it hits answers 503 TRANSIENT_FAILURE with Retry-After, never 500,
 * and the record is left consistent (never written, or its lease released or expiring), so a retry with
 * the same key finishes exactly once.
 */
type Locker = { lockWrites(): Promise<void>; lockEverything(): Promise<void>; release(): Promise<void> };

async function lockerFor(h: Harness): Promise<Locker> {
  if (h.provider === "sqlite") {
    const conn = new Database(sqliteFilePath(h.databaseUrl));
    return {
      // The write lock: every other writer waits for it (and gives up after its busy timeout).
      lockWrites: async () => void conn.exec("BEGIN IMMEDIATE"),
      lockEverything: async () => void conn.exec("BEGIN IMMEDIATE"),
      release: async () => {
        if (conn.inTransaction) conn.exec("ROLLBACK");
        conn.close();
      },
    };
  }
  const conn = new pg.Client({ connectionString: h.databaseUrl });
  await conn.connect();
  return {
    // Writes to these tables wait (reads go on): the record insert or the first phase blocks.
    lockWrites: async () => {
      await conn.query("BEGIN");
      await conn.query('LOCK TABLE "IdempotencyRecord", "Product" IN SHARE ROW EXCLUSIVE MODE');
    },
    // Even the record lookup waits.
    lockEverything: async () => {
      await conn.query("BEGIN");
      await conn.query('LOCK TABLE "IdempotencyRecord" IN ACCESS EXCLUSIVE MODE');
    },
    release: async () => {
      await conn.query("ROLLBACK").catch(() => {});
      await conn.end();
    },
  };
}

const mug = () => order([{ productId: "ceramic-mug", quantity: 1 }]);

describe.each(providers)("transient database failures on the keyed path on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(
      provider,
      { engine: { leaseMs: 1_500 } },
      { busyTimeoutMs: 200, lockTimeoutMs: 200, statementTimeoutMs: 5_000 },
    );
  });
  afterAll(() => h?.close());

  const expect503 = (answer: Awaited<ReturnType<typeof placeOrder>>) => {
    expect(answer.status).toBe(503);
    expect(answer.error.data).toMatchObject({ reason: "TRANSIENT_FAILURE", retryable: true });
    expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  };

  it("record insert blocked: 503, nothing written; the same key then executes once", async () => {
    const cookie = await h.shopper("locked-insert");
    const key = newKey();
    const before = await rowCounts(h);
    const locker = await lockerFor(h);
    await locker.lockWrites();
    try {
      expect503(await placeOrder(h, cookie, key, mug()));
    } finally {
      await locker.release();
    }
    expect(await rowCounts(h)).toEqual(before);
    const retry = await placeOrder(h, cookie, key, mug());
    expect(retry.status).toBe(201);
    expect(await h.db.order.count({ where: { idempotencyRecord: { key } } })).toBe(1);
  });

  it.runIf(provider === "postgresql")("record lookup blocked: 503, nothing written", async () => {
    const cookie = await h.shopper("locked-lookup");
    const key = newKey();
    const before = await rowCounts(h);
    const locker = await lockerFor(h);
    await locker.lockEverything();
    try {
      expect503(await placeOrder(h, cookie, key, mug()));
    } finally {
      await locker.release();
    }
    expect(await rowCounts(h)).toEqual(before);
    expect((await placeOrder(h, cookie, key, mug())).status).toBe(201);
  });

  it("a phase blocked after the record is owned: 503; a retry with the same key finishes it exactly once", async () => {
    const cookie = await h.shopper("locked-phase");
    const key = newKey();
    const locker = await lockerFor(h);
    // The attempt owns its record, then waits 500 ms before its first phase: the lock is taken in between.
    const attempt = placeOrder(h, cookie, key, mug(), { "x-fault": "delay:500" });
    await expect.poll(() => h.db.idempotencyRecord.count({ where: { key } }), { interval: 10 }).toBe(1);
    await locker.lockWrites();
    let answer: Awaited<ReturnType<typeof placeOrder>>;
    try {
      answer = await attempt;
    } finally {
      await locker.release();
    }
    expect503(answer);
    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(record.status).toBe("IN_PROGRESS");
    expect(record.recoveryPoint).toBe("STARTED");
    // Lease released (PostgreSQL) or, where even the release met the lock (SQLite), expiring: retry until done.
    let final = await placeOrder(h, cookie, key, mug());
    await expect
      .poll(
        async () => {
          if (final.status === 409) final = await placeOrder(h, cookie, key, mug());
          return final.status;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe(201);
    expect(await h.db.order.count({ where: { idempotencyRecord: { key } } })).toBe(1);
    const report = await audit(h.db);
    expect(report.invariants.filter((i) => i.violations > 0)).toEqual([]);
  });
});
