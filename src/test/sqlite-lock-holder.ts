import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { setImmediate } from "node:timers/promises";
import type { Db } from "@/server/db";

/**
 * Another PROCESS holding SQLite's write lock (BEGIN IMMEDIATE) for holdMs, then committing a write: what a second
 * app instance, a worker or a script in the middle of a write transaction does to this process.
 * Its own clock marks the hold: `releasingAt` is read just before its COMMIT (same machine, same wall clock),
 * so anything of ours that needed the lock cannot have finished before it.
 */
const HOLDER = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1]);
db.exec("BEGIN IMMEDIATE");
// A real write (the file header's user_version, which the app does not use): whoever read before this
// commit holds a snapshot that is stale after it.
db.pragma("user_version = " + (db.pragma("user_version", { simple: true }) + 1));
console.log("locked " + Date.now());
setTimeout(() => {
  const releasingAt = Date.now();
  db.exec("COMMIT");
  db.close();
  console.log("released " + releasingAt);
}, Number(process.argv[2]));
`;

export type LockHold = {
  /** Resolves with the holder's clock once it has the lock. */
  locked: Promise<number>;
  /** Resolves with the holder's clock read just before it released the lock. */
  released: Promise<number>;
};

export function holdSqliteWriteLock(file: string, holdMs: number): LockHold {
  const child = spawn(process.execPath, ["-e", HOLDER, file, String(holdMs)], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const mark = (word: string) =>
    new Promise<number>((resolve, reject) => {
      lines.on("line", (line) => {
        const [w, at] = line.split(" ");
        if (w === word) resolve(Number(at));
      });
      once(child, "exit").then(([code]) => reject(new Error(`lock holder exited (${code}) before "${word}"`)));
    });
  return { locked: mark("locked"), released: mark("released") };
}

/** How late each tick of a 10 ms timer ran: how long the event loop was kept from running, and when. */
export type Stall = { at: number; ms: number };

/**
 * The stalls of a stretch of time (clock of Date.now()): every tick whose wait overlaps it, so a loop
 * stopped for the whole stretch shows as the first tick after it.
 */
export const stallsDuring = (stalls: Stall[], from: number, to: number): Stall[] =>
  stalls.filter((s) => s.at > from && s.at - s.ms < to);

export function watchEventLoop(everyMs = 10): { stop: () => Stall[] } {
  const stalls: Stall[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    stalls.push({ at: Date.now(), ms: Math.max(0, now - last - everyMs) });
    last = now;
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return stalls;
    },
  };
}

/**
 * The writes the lock-wait test and bench issue during a hold: a plain update, and a transaction that reads
 * before it writes (begun deferred, its read snapshot could not become a write one after the holder's commit:
 * SQLITE_BUSY_SNAPSHOT; begun IMMEDIATE it waits at BEGIN). Each is run once first: the first use of a query
 * shape compiles its plan (synchronous work that would count as a stall).
 */
export async function lockWaitWrites(db: Db, productId: string) {
  const bump = () => db.product.update({ where: { id: productId }, data: { stock: { increment: 1 } } });
  const readThenWrite = () =>
    db.$transaction(async (tx) => {
      const before = await tx.product.findUniqueOrThrow({ where: { id: productId } });
      await tx.product.update({ where: { id: productId }, data: { stock: before.stock - 1 } });
    });
  await bump();
  await readThenWrite();
  return { bump, readThenWrite };
}

/** What the readers of the lock-wait test and bench read: the catalog, no lock needed. */
export const readCatalog = (db: Db) => db.product.findMany({ orderBy: { id: "asc" } });

/**
 * Reads one after another until stop() (each one timed), as other requests of the process would. Each
 * waits for the next turn of the event loop, as a request arriving on a socket does (a query that never
 * leaves the microtask queue would otherwise keep timers from ever running).
 */
export function keepReading(db: Db) {
  const latencies: { at: number; ms: number }[] = [];
  let reading = true;
  const done = (async () => {
    while (reading) {
      await setImmediate();
      const started = performance.now();
      await readCatalog(db);
      latencies.push({ at: Date.now(), ms: performance.now() - started });
    }
  })();
  return {
    latencies,
    stop: async () => {
      reading = false;
      await done;
    },
  };
}
