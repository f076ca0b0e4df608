import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { afterEach, describe, expect, it } from "vitest";
import { serialSqliteAdapter } from "./serial-sqlite-adapter";

const sql = (text: string) => ({ sql: text, args: [], argTypes: [] });

/** Drives the adapter the way Prisma's engine does: BEGIN by startTransaction, ROLLBACK as a statement. */
async function rollBackAroundAnOutsideWrite(adapter: SqlDriverAdapter) {
  await adapter.executeScript('CREATE TABLE "T" (name TEXT NOT NULL)');
  const tx = await adapter.startTransaction();
  await tx.executeRaw(sql(`INSERT INTO "T" VALUES ('inside')`));

  // Another request's statements, sent while the transaction is open.
  let settled = false;
  const write = adapter.executeRaw(sql(`INSERT INTO "T" VALUES ('outside')`)).finally(() => {
    settled = true;
  });
  const read = adapter.queryRaw(sql(`SELECT name FROM "T" ORDER BY name`));
  await tx.queryRaw(sql("SELECT 1"));
  const settledWhileOpen = settled;

  await tx.executeRaw(sql("ROLLBACK"));
  await tx.rollback();
  await write;
  return {
    settledWhileOpen,
    seenOutside: (await read).rows.map((r) => r[0]),
    kept: (await adapter.queryRaw(sql(`SELECT name FROM "T" ORDER BY name`))).rows.map((r) => r[0]),
  };
}

describe("SQLite: one connection per process, statements outside a transaction", () => {
  let dir = "";
  let adapter: SqlDriverAdapter | null = null;
  const connect = async (factory: (url: string) => SqlDriverAdapterFactory) => {
    dir = mkdtempSync(path.join(tmpdir(), "rsc-serial-"));
    adapter = await factory(path.join(dir, "t.db")).connect();
    return adapter;
  };
  afterEach(async () => {
    await adapter?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("wait for the open transaction: a write outside survives its rollback, a read outside never sees its rows", async () => {
    const result = await rollBackAroundAnOutsideWrite(
      await connect((url) => serialSqliteAdapter(new PrismaBetterSqlite3({ url }), { busyTimeoutMs: 1_000 })),
    );
    expect(result).toEqual({ settledWhileOpen: false, seenOutside: ["outside"], kept: ["outside"] });
  });

  it("(the bare adapter, for contrast: the outside write runs inside the transaction and is rolled back with it)", async () => {
    const result = await rollBackAroundAnOutsideWrite(await connect((url) => new PrismaBetterSqlite3({ url })));
    expect(result).toEqual({ settledWhileOpen: true, seenOutside: ["inside", "outside"], kept: [] });
  });
});

/** How many turns the event loop takes while `work` runs: a ticker re-armed by setImmediate counts them. */
async function loopTurnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await work();
  } finally {
    running = false;
  }
  return turns;
}

const ROUNDS = 20;

/**
 * Turns taken by statements sent alone, by transactions (one statement each), and between the statements of
 * one transaction up to its COMMIT; driven as Prisma's engine drives them.
 */
async function turnsTaken(adapter: SqlDriverAdapter) {
  const alone = await loopTurnsDuring(async () => {
    for (let i = 0; i < ROUNDS; i++) await adapter.queryRaw(sql("SELECT 1"));
  });
  const transactions = await loopTurnsDuring(async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const tx = await adapter.startTransaction();
      await tx.queryRaw(sql("SELECT 1"));
      await tx.executeRaw(sql("COMMIT"));
      await tx.commit();
    }
  });
  const tx = await adapter.startTransaction();
  const insideOne = await loopTurnsDuring(async () => {
    for (let i = 0; i < ROUNDS; i++) await tx.queryRaw(sql("SELECT 1"));
    await tx.executeRaw(sql("COMMIT"));
  });
  await tx.commit();
  return { alone, transactions, insideOne };
}

describe("SQLite: the synchronous driver gives the event loop a turn before each statement or transaction", () => {
  let dir = "";
  let adapter: SqlDriverAdapter | null = null;
  afterEach(async () => {
    await adapter?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = async (factory: (url: string) => SqlDriverAdapterFactory) => {
    dir = mkdtempSync(path.join(tmpdir(), "rsc-turns-"));
    adapter = await factory(path.join(dir, "t.db")).connect();
    return adapter;
  };

  it("so a busy process accepts connections and runs timers between a request's steps; an open transaction runs on", async () => {
    const turns = await turnsTaken(
      await open((url) => serialSqliteAdapter(new PrismaBetterSqlite3({ url }), { busyTimeoutMs: 1_000 })),
    );
    expect(turns.alone).toBeGreaterThanOrEqual(ROUNDS);
    // One before BEGIN, one once the connection is free again.
    expect(turns.transactions).toBeGreaterThanOrEqual(2 * ROUNDS);
    // The write lock is not held across turns that other requests take.
    expect(turns.insideOne).toBe(0);
  });

  it("(the bare adapter, for contrast: a request's statements and transactions run back to back in one turn)", async () => {
    const turns = await turnsTaken(await open((url) => new PrismaBetterSqlite3({ url })));
    expect(turns).toEqual({ alone: 0, transactions: 0, insideOne: 0 });
  });
});
