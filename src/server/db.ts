import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { env, isPostgres } from "@/env";
import { PrismaClient as PostgresClient } from "@/generated/postgresql/client";
import { PrismaClient as SqliteClient } from "@/generated/sqlite/client";
import { serialSqliteAdapter } from "@/server/lib/serial-sqlite-adapter";
import { SYNC_BUSY_WAIT_MS } from "@/server/lib/sqlite-busy";

/**
 * The app is written against one client type. Both generated clients come from the same schema (the
 * PostgreSQL one is derived from the SQLite one), so they share every model and query signature; only
 * the transaction options differ (SQLite knows one isolation level), so those are narrowed to what both accept.
 */
type Models = Omit<SqliteClient, "$transaction" | "$on" | "$extends" | "$use" | "$connect">;
export type Tx = Omit<SqliteClient, "$transaction" | "$on" | "$extends" | "$use" | "$connect" | "$disconnect">;
export type Db = Models & {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
};

export function sqliteFilePath(url: string): string {
  const file = url.replace(/^file:/, "");
  return path.isAbsolute(file) ? file : path.resolve(/*turbopackIgnore: true*/ process.cwd(), file);
}

export type DbOptions = {
  /** Called for every SQL statement sent (tests use it to hold query budgets). */
  onQuery?: (query: { query: string; durationMs: number }) => void;
  /** SQLite: wait for another process's lock at most this long in all, asynchronously (tests shorten it). */
  busyTimeoutMs?: number;
  /** PostgreSQL: lock_timeout and statement_timeout of every connection (tests shorten them). */
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
};

/** Which database a client talks to; SQL that differs between the two (time buckets, SKIP LOCKED) asks. */
export type Dialect = "sqlite" | "postgresql";
const dialects = new WeakMap<Db, Dialect>();

/**
 * The dialect recorded by createDb for the client it made. A client wrapped after creation (tests wrap
 * theirs in Proxies to count or break queries) is not that object, so the database is asked once.
 */
export async function dialectOf(db: Db): Promise<Dialect> {
  const known = dialects.get(db);
  if (known) return known;
  const rows = await db.$queryRaw<{ v: unknown }[]>`SELECT sqlite_version() AS v`.catch(() => null);
  const dialect: Dialect = rows ? "sqlite" : "postgresql";
  dialects.set(db, dialect);
  return dialect;
}

export function createDb(url: string = env.DATABASE_URL, options: DbOptions = {}): Db {
  const log = options.onQuery ? [{ emit: "event" as const, level: "query" as const }] : [];
  const onQuery = (e: { query: string; duration: number }) =>
    options.onQuery?.({ query: e.query, durationMs: e.duration });
  if (isPostgres(url)) {
    // A statement stuck behind another session's lock fails (55P03 / 57014, transient: 503) instead of
    // holding the request and a pool connection without bound.
    const lockTimeout = options.lockTimeoutMs ?? env.DB_LOCK_TIMEOUT_MS;
    const statementTimeout = options.statementTimeoutMs ?? env.DB_STATEMENT_TIMEOUT_MS;
    const client = new PostgresClient({
      adapter: new PrismaPg({
        connectionString: url,
        max: 20,
        options: `-c lock_timeout=${lockTimeout} -c statement_timeout=${statementTimeout}`,
      }),
      log,
    });
    if (options.onQuery) client.$on("query", onQuery);
    // Same models and signatures by construction (derived schema, drift-checked in CI), but TypeScript
    // cannot relate two sets of Prisma's deep generics, so the PostgreSQL client is viewed as the app's type.
    const viewed = client as Db;
    dialects.set(viewed, "postgresql");
    return viewed;
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? env.DB_BUSY_TIMEOUT_MS;
  const client = new SqliteClient({
    // One connection per process: statements outside a transaction wait for the open one, and a lock held
    // by another process is waited for between attempts, never inside the (synchronous) driver for more
    // than a few ms (see the wrapper). The wrapper also sets the durability pragmas on the connection.
    adapter: serialSqliteAdapter(new PrismaBetterSqlite3({ url: sqliteFilePath(url), timeout: SYNC_BUSY_WAIT_MS }), {
      busyTimeoutMs,
    }),
    // A transaction waits for the write lock when it begins (BEGIN IMMEDIATE, see the wrapper): it may wait as
    // long as a statement may, which Prisma's own limit on a transaction's start would otherwise cut short.
    transactionOptions: { maxWait: Math.max(PRISMA_DEFAULT_MAX_WAIT_MS, busyTimeoutMs) },
    log,
  });
  if (options.onQuery) client.$on("query", onQuery);
  dialects.set(client, "sqlite");
  return client;
}

/** How long Prisma lets a transaction wait to start unless told otherwise. */
const PRISMA_DEFAULT_MAX_WAIT_MS = 2_000;

const cache: typeof globalThis & { __db?: Db } = globalThis;

/**
 * One client per process, also in production: Next bundles the start-up hook (recovery and job workers)
 * and the route handlers separately, and a module-level client would exist once per bundle. On SQLite
 * that means two connections in one process, and better-sqlite3 waits for a lock synchronously: one
 * connection blocking the event loop on the lock the other holds across an await (an interactive
 * transaction) stalled a restarted instance for tens of seconds (seen in the kill -9 test). (Lock waits are
 * asynchronous now, but the two connections would still exclude each other's writers.) The cache
 * also keeps development's hot reloads to one client. Tests inject their own via ctx.
 */
cache.__db ??= createDb();
export const db: Db = cache.__db;
