import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { testPostgresUrl } from "../../scripts/postgres/test-server";
import { ROOT, setupDatabase } from "./instances";

export type Kind = "sqlite" | "postgres";

/** Figures read straight from the database, as an outside observer (not through the app). */
export type Counts = {
  orders: number;
  ordersByStatus: Record<string, number>;
  charges: number;
  chargesByStatus: Record<string, number>;
  payments: number;
  recordsInProgress: number;
  /** Jobs after the order still waiting or running (the in-app workers' backlog). */
  jobsUnsettled: number;
  jobsByState: Record<string, number>;
  /** The external effects of the jobs, from the simulated mailer's and model API's own ledgers. */
  emailsSent: number;
  modelCalls: number;
  /** Products whose stock + units sold (orders not PAYMENT_FAILED) differ from the initial stock. */
  stockDrift: number;
};

/**
 * A fresh database for one bench or chaos run (unique name), migrated and seeded by the project's own
 * db-setup, with stock raised so a storm never runs out. drop() removes it.
 */
export type BenchDatabase = {
  kind: Kind;
  url: string;
  counts(): Promise<Counts>;
  /** Orders of shoppers whose name starts with prefix, and how many of them repeat an intent (user + cart). */
  ordersOf(prefix: string): Promise<{ orders: number; duplicates: number }>;
  drop(): Promise<void>;
};

/** The run's PostgreSQL server (`npm run bench` and `npm run test:chaos` choose it, embedded if need be). */
const POSTGRES_SERVER = testPostgresUrl();
const STOCK = 1_000_000;

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** root: the checkout whose migrations and seed set the database up (default: this one). */
export async function createBenchDatabase(kind: Kind, label: string, root: string = ROOT): Promise<BenchDatabase> {
  const name = `bench_${label}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  return kind === "sqlite" ? createSqlite(name, root) : createPostgres(name, root);
}

async function createSqlite(name: string, root: string): Promise<BenchDatabase> {
  const dir = path.join(ROOT, "data");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replaceAll("_", "-")}.db`);
  const url = `file:${file}`;
  setupDatabase(url, root);
  const db = new Database(file, { timeout: 10_000 });
  db.prepare(`UPDATE "Product" SET stock = ${STOCK}, "initialStock" = ${STOCK}`).run();
  const query: Query = async (sql) => db.prepare(sql).all() as Record<string, unknown>[];
  return {
    kind: "sqlite",
    url,
    counts: () => readCounts(query),
    ordersOf: (prefix) => readOrdersOf(query, prefix),
    async drop() {
      db.close();
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
    },
  };
}

async function createPostgres(name: string, root: string): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: POSTGRES_SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const server = new URL(POSTGRES_SERVER);
  server.pathname = `/${name}`;
  const url = server.toString();
  setupDatabase(url, root);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // pool.end() resolves once it has asked its connections to close, not when they have: DROP ... WITH
  // (FORCE) can still terminate one (57P01), and an 'error' nobody listens to would crash the run.
  let dropping = false;
  const onConnectionError = (error: Error) => {
    if (!dropping) console.error(`[bench db ${name}] connection error: ${error.message}`);
  };
  pool.on("error", onConnectionError);
  pool.on("connect", (client) => client.on("error", onConnectionError));
  await pool.query(`UPDATE "Product" SET stock = ${STOCK}, "initialStock" = ${STOCK}`);
  const query: Query = async (sql) => (await pool.query(sql)).rows;
  return {
    kind: "postgres",
    url,
    counts: () => readCounts(query),
    ordersOf: (prefix) => readOrdersOf(query, prefix),
    async drop() {
      dropping = true;
      await pool.end();
      const dropper = new pg.Client({ connectionString: POSTGRES_SERVER });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

const byStatus = (rows: Record<string, unknown>[]): Record<string, number> =>
  Object.fromEntries(rows.map((r) => [String(r.status), Number(r.n)]));
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

async function readCounts(query: Query): Promise<Counts> {
  const [orders, charges, payments, inProgress, jobs, emails, calls, drift] = await Promise.all([
    query(`SELECT status, COUNT(*) AS n FROM "Order" GROUP BY status`),
    query(`SELECT status, COUNT(*) AS n FROM "ProviderCharge" GROUP BY status`),
    query(`SELECT COUNT(*) AS n FROM "Payment"`),
    query(`SELECT COUNT(*) AS n FROM "IdempotencyRecord" WHERE status = 'IN_PROGRESS'`),
    query(`SELECT state AS status, COUNT(*) AS n FROM "Job" GROUP BY state`),
    query(`SELECT COUNT(*) AS n FROM "SentEmail"`),
    query(`SELECT COUNT(*) AS n FROM "ModelCall"`),
    query(`SELECT COUNT(*) AS n FROM "Product" p LEFT JOIN (
        SELECT i."productId" AS pid, SUM(i.quantity) AS sold FROM "OrderItem" i
        JOIN "Order" o ON o.id = i."orderId" WHERE o.status <> 'PAYMENT_FAILED' GROUP BY i."productId") s
      ON s.pid = p.id WHERE p.stock + COALESCE(s.sold, 0) <> p."initialStock"`),
  ]);
  const ordersByStatus = byStatus(orders);
  const chargesByStatus = byStatus(charges);
  const jobsByState = byStatus(jobs);
  return {
    orders: total(ordersByStatus),
    ordersByStatus,
    charges: total(chargesByStatus),
    chargesByStatus,
    payments: Number(payments[0]?.n ?? 0),
    recordsInProgress: Number(inProgress[0]?.n ?? 0),
    jobsUnsettled: (jobsByState.PENDING ?? 0) + (jobsByState.RUNNING ?? 0),
    jobsByState,
    emailsSent: Number(emails[0]?.n ?? 0),
    modelCalls: Number(calls[0]?.n ?? 0),
    stockDrift: Number(drift[0]?.n ?? 0),
  };
}

async function readOrdersOf(query: Query, prefix: string): Promise<{ orders: number; duplicates: number }> {
  if (!/^[a-z0-9-]+$/.test(prefix)) throw new Error(`unsafe shopper prefix ${prefix}`);
  // Every intent of a storm is one (shopper, one-line cart) pair, so orders beyond the first per pair are
  // duplicates, whichever procedure wrote them (the unsafe baseline keeps no idempotency record to join on).
  const rows = await query(`SELECT COALESCE(SUM(k - 1), 0) AS d FROM (
      SELECT COUNT(*) AS k FROM "Order" o
        JOIN "User" u ON u.id = o."userId"
        JOIN "OrderItem" i ON i."orderId" = o.id
      WHERE u.name LIKE '${prefix}%'
      GROUP BY o."userId", i."productId", i.quantity) g`);
  const groups = await query(`SELECT COUNT(*) AS n FROM "Order" o JOIN "User" u ON u.id = o."userId"
      WHERE u.name LIKE '${prefix}%'`);
  return { orders: Number(groups[0]?.n ?? 0), duplicates: Number(rows[0]?.d ?? 0) };
}
