/**
 * `npx tsx bench/sqlite-lock-wait.ts [holdMs] [runs] [writers]`: what another process holding SQLite's
 * write lock does to this process (issue 15, target 4). For each client, a child process takes the write
 * lock (BEGIN IMMEDIATE) for holdMs (default 2000) while this process keeps reading the catalog and issues
 * `writers` (default 8) writes and as many read-then-write transactions at once; prints the reads served during the hold, their latencies, and how
 * long the event loop was kept from running (a 10 ms timer's lateness).
 * - before: the driver as configured until issue 15 (better-sqlite3's busy timeout of DB_BUSY_TIMEOUT_MS,
 *   a synchronous wait; transactions begun deferred);
 * - after: the app's client (createDb): a few ms of synchronous wait, then awaited retries; BEGIN IMMEDIATE;
 * - no lock: the app's client with nobody holding the lock (the machine's own noise).
 */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { env } from "@/env";
import { PrismaClient as SqliteClient } from "@/generated/sqlite/client";
import { createDb, type Db, sqliteFilePath } from "@/server/db";
import {
  holdSqliteWriteLock,
  keepReading,
  lockWaitWrites,
  readCatalog,
  stallsDuring,
  watchEventLoop,
} from "@/test/sqlite-lock-holder";
import { createTestDatabase } from "@/test/test-db";

const holdMs = Number(process.argv[2] ?? 2_000);
const runs = Number(process.argv[3] ?? 3);
/** Writes and read-then-write transactions issued at once during the hold, each. */
const writers = Number(process.argv[4] ?? 8);

type Figures = {
  reads: number;
  readP50: number;
  readMax: number;
  stallMax: number;
  lateTicks: number;
  write: string;
  transaction: string;
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function measure(db: Db, file: string, withLock: boolean): Promise<Figures> {
  const [product] = await readCatalog(db);
  if (!product) throw new Error("no catalog");
  const { bump, readThenWrite } = await lockWaitWrites(db, product.id);

  const hold = withLock ? holdSqliteWriteLock(file, holdMs) : null;
  const startedAt = hold ? await hold.locked : Date.now();
  const loop = watchEventLoop();
  const readers = keepReading(db);
  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => Date.now(),
      (error: unknown) => `failed (${error instanceof Error ? error.message.split("\n").at(-1) : String(error)})`,
    );
  const many = (work: () => Promise<unknown>) =>
    Promise.all(Array.from({ length: writers }, () => outcome(work()))).then(
      (all) => all.find((a) => typeof a === "string") ?? Math.max(...(all as number[])),
    );
  const [write, transaction, endedAt] = await Promise.all([
    many(bump),
    many(readThenWrite),
    hold ? hold.released : new Promise<number>((resolve) => setTimeout(() => resolve(Date.now()), holdMs)),
  ]);
  await readers.stop();
  const stalls = stallsDuring(loop.stop(), startedAt, endedAt);
  const reads = readers.latencies.filter((r) => r.at > startedAt && r.at < endedAt).map((r) => r.ms);
  const after = (v: number | string) => (typeof v === "number" ? `${v >= endedAt ? "+" : ""}${v - endedAt} ms` : v);
  return {
    reads: reads.length,
    readP50: reads.length ? percentile(reads, 50) : Number.NaN,
    readMax: reads.length ? Math.max(...reads) : Number.NaN,
    stallMax: Math.max(...stalls.map((s) => s.ms)),
    lateTicks: stalls.filter((s) => s.ms > 100).length,
    write: after(write),
    transaction: after(transaction),
  };
}

async function main() {
  const t = await createTestDatabase("sqlite");
  const file = sqliteFilePath(t.url);
  const clients: { name: string; lock: boolean; make: () => Db }[] = [
    {
      name: "before",
      lock: true,
      make: () =>
        new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: file, timeout: env.DB_BUSY_TIMEOUT_MS }) }) as Db,
    },
    { name: "after", lock: true, make: () => createDb(t.url) },
    { name: "no lock", lock: false, make: () => createDb(t.url) },
  ];
  console.log(
    `hold ${holdMs} ms, ${runs} runs each, ${writers} writes and ${writers} transactions during it; latencies in ms; ` +
      "writes/transactions: last one done, relative to the release (or the first failure)",
  );
  console.log(
    "client  | reads in hold | read p50 | read max | longest stall | ticks >100 ms late | writes | transactions",
  );
  try {
    for (let run = 0; run < runs; run++) {
      for (const client of clients) {
        const db = client.make();
        try {
          const f = await measure(db, file, client.lock);
          console.log(
            [
              client.name.padEnd(7),
              String(f.reads).padStart(13),
              f.readP50.toFixed(1).padStart(8),
              f.readMax.toFixed(1).padStart(8),
              f.stallMax.toFixed(1).padStart(13),
              String(f.lateTicks).padStart(18),
              f.write,
              f.transaction,
            ].join(" | "),
          );
        } finally {
          await db.$disconnect();
        }
      }
    }
  } finally {
    await t.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
