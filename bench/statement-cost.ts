/**
 * `npm run bench:statements`: what one SQL statement costs the app's process, by the path it takes. The same
 * statement (the checkout's stock reservation, `UPDATE "Product" ... RETURNING "priceCents"`, and a lookup by
 * primary key) is sent, one at a time, through Prisma's model API (what the app uses outside the exactly-once
 * path), through Prisma's raw SQL, through the SQL path (sql.ts: Prisma's driver adapter without its query
 * interpreter, what the engine and the checkout's phases use) and through the driver alone (pg /
 * better-sqlite3), then five of them in one transaction each way.
 * Each path is measured alone, after a warm-up, on a fresh database of each kind, and reported as wall time
 * and CPU time of this process per operation (process.cpuUsage: all threads), with the ratio to the driver.
 *
 * A second table compares inserts through the model API: `create` against `createMany`, which Prisma's query
 * plan cache leaves out (it compiles a createMany or createManyAndReturn on every call; the checkout's lines
 * and jobs are inserted that way).
 *
 * It runs outside Next (no AsyncLocalStorage on every promise), so it is a lower bound of Prisma's cost in the
 * app. Issue 15 asks whether a first execution (14 statements, 3 transactions) can be twice as fast: this
 * tells how much of its CPU the statements themselves take, per path.
 *
 *   npm run bench:statements -- [--ops 1500] [--warmup 300] [--provider sqlite|postgresql]
 */
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { z } from "zod";
import { type Db, sqliteFilePath, sqlOf } from "@/server/db";
import { createTestDatabase, type Provider, providers } from "@/test/test-db";
import { fmt, table } from "./run/report";

const schema = z.object({
  ops: z.coerce.number().int().min(10).default(1500),
  warmup: z.coerce.number().int().min(0).default(300),
  provider: z.enum(["sqlite", "postgresql"]).optional(),
});

const PRODUCT = "ceramic-mug";
/** Five statements in one transaction, as a phase of the checkout sends them. */
const IN_TX = 5;

type Path = {
  name: string;
  reserve: () => Promise<unknown>;
  lookup: () => Promise<unknown>;
  tx: () => Promise<unknown>;
};

/** The four ways to send the same statements (quantity 0, so the stock never changes). */
function pathsFor(db: Db, driver: Driver): Path[] {
  const sql = sqlOf(db);
  return [
    {
      name: "Prisma model API (the rest of the app)",
      reserve: () =>
        db.product.updateManyAndReturn({
          where: { id: PRODUCT, stock: { gte: 0 } },
          data: { stock: { decrement: 0 } },
          select: { priceCents: true },
        }),
      lookup: () => db.product.findUnique({ where: { id: PRODUCT }, select: { id: true, priceCents: true } }),
      tx: () =>
        db.$transaction(async (tx) => {
          for (let i = 0; i < IN_TX; i++) {
            await tx.product.updateManyAndReturn({
              where: { id: PRODUCT, stock: { gte: 0 } },
              data: { stock: { decrement: 0 } },
              select: { priceCents: true },
            });
          }
        }),
    },
    {
      name: "Prisma raw SQL",
      reserve: () =>
        db.$queryRaw`UPDATE "Product" SET "stock" = "stock" - ${0} WHERE "id" = ${PRODUCT} AND "stock" >= ${0} RETURNING "priceCents"`,
      lookup: () => db.$queryRaw`SELECT "id", "priceCents" FROM "Product" WHERE "id" = ${PRODUCT}`,
      tx: () =>
        db.$transaction(async (tx) => {
          for (let i = 0; i < IN_TX; i++) {
            await tx.$queryRaw`UPDATE "Product" SET "stock" = "stock" - ${0} WHERE "id" = ${PRODUCT} AND "stock" >= ${0} RETURNING "priceCents"`;
          }
        }),
    },
    {
      name: "SQL path (sql.ts: the exactly-once path)",
      reserve: () => sql.rows(RESERVE_SQL, [0, PRODUCT]),
      lookup: () => sql.rows(LOOKUP_SQL, [PRODUCT]),
      tx: () =>
        sql.transaction(async (tx) => {
          for (let i = 0; i < IN_TX; i++) await tx.rows(RESERVE_SQL, [0, PRODUCT]);
        }),
    },
    { name: `driver alone (${driver.name})`, ...driver.path },
  ];
}

type Driver = { name: string; path: Omit<Path, "name">; close: () => Promise<void> };

const RESERVE_SQL = `UPDATE "Product" SET "stock" = "stock" - $1 WHERE "id" = $2 AND "stock" >= $1 RETURNING "priceCents"`;
const LOOKUP_SQL = `SELECT "id", "priceCents" FROM "Product" WHERE "id" = $1`;

function driverFor(provider: Provider, url: string): Driver {
  if (provider === "postgresql") {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    return {
      name: "pg",
      path: {
        reserve: () => pool.query(RESERVE_SQL, [0, PRODUCT]),
        lookup: () => pool.query(LOOKUP_SQL, [PRODUCT]),
        tx: async () => {
          const client = await pool.connect();
          try {
            await client.query("BEGIN");
            for (let i = 0; i < IN_TX; i++) await client.query(RESERVE_SQL, [0, PRODUCT]);
            await client.query("COMMIT");
          } finally {
            client.release();
          }
        },
      },
      close: () => pool.end(),
    };
  }
  // Its own connection to the same file, with the app's durability settings (WAL, synchronous=FULL).
  const sqlite = new Database(sqliteFilePath(url));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  const reserve = sqlite.prepare(RESERVE_SQL.replaceAll(/\$\d/g, "?"));
  const lookup = sqlite.prepare(LOOKUP_SQL.replace("$1", "?"));
  const five = sqlite.transaction(() => {
    for (let i = 0; i < IN_TX; i++) reserve.all(0, PRODUCT, 0);
  });
  return {
    name: "better-sqlite3",
    path: {
      reserve: async () => reserve.all(0, PRODUCT, 0),
      lookup: async () => lookup.get(PRODUCT),
      tx: async () => five.immediate(),
    },
    close: async () => {
      sqlite.close();
    },
  };
}

/** Wall and CPU time per call of `op`, measured alone after `warmup` unmeasured calls. */
async function measure(op: () => Promise<unknown>, ops: number, warmup: number) {
  for (let i = 0; i < warmup; i++) await op();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) await op();
  const wallMs = (performance.now() - t0) / ops;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 / ops };
}

/** One row insert with a cached plan (create) against createMany, which is compiled on every call. */
async function insertRows(db: Db, config: z.output<typeof schema>): Promise<string[][]> {
  let n = 0;
  const row = () => ({ operation: "bench", outcome: "REPLAYED" as const, httpStatus: 200, key: `k${n++}` });
  const create = () => db.requestEvent.create({ data: row(), select: { id: true } });
  const inserts: [string, () => Promise<unknown>][] = [
    ["create, 1 row", create],
    ["createMany, 1 row", () => db.requestEvent.createMany({ data: [row()] })],
    ["create twice, 1 row each", async () => [await create(), await create()]],
    ["createMany, 2 rows", () => db.requestEvent.createMany({ data: [row(), row()] })],
  ];
  const rows: string[][] = [];
  for (const [label, op] of inserts) {
    const { wallMs, cpuMs } = await measure(op, config.ops, config.warmup);
    rows.push([label, fmt(wallMs, 3), fmt(cpuMs, 3)]);
  }
  return rows;
}

async function benchProvider(provider: Provider, config: z.output<typeof schema>) {
  const t = await createTestDatabase(provider);
  const driver = driverFor(provider, t.url);
  try {
    const rows: string[][] = [];
    const kinds = [
      ["stock reservation (UPDATE ... RETURNING)", "reserve"],
      ["lookup by primary key (SELECT)", "lookup"],
      [`transaction of ${IN_TX} reservations`, "tx"],
    ] as const;
    for (const [label, kind] of kinds) {
      const measured = [];
      for (const path of pathsFor(t.db, driver)) {
        measured.push({ path: path.name, ...(await measure(path[kind], config.ops, config.warmup)) });
      }
      const base = measured[measured.length - 1]?.cpuMs ?? 1;
      for (const m of measured) {
        rows.push([label, m.path, fmt(m.wallMs, 3), fmt(m.cpuMs, 3), `${fmt(m.cpuMs / base, 1)}x`]);
      }
    }
    console.log(`\n${provider}, ${config.ops} operations per cell (after ${config.warmup} unmeasured):\n`);
    console.log(table(["statement", "path", "wall ms / op", "CPU ms / op", "CPU vs driver"], rows));
    console.log(`\n${provider}, inserts through the model API (request events, each its own commit):\n`);
    console.log(table(["insert", "wall ms / op", "CPU ms / op"], await insertRows(t.db, config)));
  } finally {
    await driver.close();
    await t.db.$disconnect();
    await t.drop();
  }
}

async function main() {
  const { values } = parseArgs({
    options: { ops: { type: "string" }, warmup: { type: "string" }, provider: { type: "string" } },
  });
  const config = schema.parse(values);
  for (const provider of config.provider ? [config.provider] : providers) await benchProvider(provider, config);
}

await main();
