import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { env, isPostgres } from "@/env";
import { PrismaClient as PostgresClient } from "@/generated/postgresql/client";
import { PrismaClient as SqliteClient } from "@/generated/sqlite/client";
import { serialSqliteAdapter } from "@/server/lib/serial-sqlite-adapter";
import { createSql, type Dialect, type Sql, sharedConnection, statementNameOf } from "@/server/lib/sql";
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
  /** The SQL path: how long a transaction may wait to start (tests shorten it). */
  transactionMaxWaitMs?: number;
};

/**
 * A registered symbol: Next bundles the start-up hook and the route handlers separately, each with its own copy
 * of this module, and the client (cached on globalThis, see below) must carry its SQL path for both.
 */
const SQL = Symbol.for("retry-safe-checkout.sql");

/**
 * The hand-written SQL path (see sql.ts) on the connection of a client made by createDb. Read as a property,
 * so a client that tests wrap in a Proxy (to count or break queries) still has it, and may replace it.
 */
export function sqlOf(db: Db): Sql {
  const sql = (db as unknown as { [SQL]?: Sql })[SQL];
  if (!sql) throw new Error("this database client was not made by createDb: it has no SQL path");
  return sql;
}

/** The same client with its SQL path wrapped (tests hold back, count or break its statements). */
export function wrapSql(db: Db, wrap: (sql: Sql) => Sql): Db {
  const sql = wrap(sqlOf(db));
  return new Proxy(db, { get: (target, prop, receiver) => (prop === SQL ? sql : Reflect.get(target, prop, receiver)) });
}

/** Which database a client talks to; SQL that differs between the two (time buckets, SKIP LOCKED) asks. */
export const dialectOf = async (db: Db): Promise<Dialect> => sqlOf(db).dialect;

function withSql<C extends object>(client: C, sql: Sql): C {
  Object.defineProperty(client, SQL, { value: sql, configurable: true });
  return client;
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
    const shared = sharedConnection(
      new PrismaPg(
        {
          connectionString: url,
          max: 20,
          options: `-c lock_timeout=${lockTimeout} -c statement_timeout=${statementTimeout}`,
        },
        // The SQL path's statements are prepared once per connection (its types say string; undefined is unnamed).
        { statementNameGenerator: statementNameOf as (query: { sql: string }) => string },
      ),
    );
    const client = new PostgresClient({ adapter: shared.factory, log });
    if (options.onQuery) client.$on("query", onQuery);
    // Same models and signatures by construction (derived schema, drift-checked in CI), but TypeScript
    // cannot relate two sets of Prisma's deep generics, so the PostgreSQL client is viewed as the app's type.
    return withSql(
      client as Db,
      createSql(shared.connect, {
        dialect: "postgresql",
        maxWaitMs: options.transactionMaxWaitMs ?? TX_MAX_WAIT_MS,
        onQuery: options.onQuery,
      }),
    );
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? env.DB_BUSY_TIMEOUT_MS;
  // One connection per process: statements outside a transaction wait for the open one, and a lock held
  // by another process is waited for between attempts, never inside the (synchronous) driver for more
  // than a few ms (see the wrapper). The wrapper also sets the durability pragmas on the connection.
  const shared = sharedConnection(
    serialSqliteAdapter(new PrismaBetterSqlite3({ url: sqliteFilePath(url), timeout: SYNC_BUSY_WAIT_MS }), {
      busyTimeoutMs,
    }),
  );
  const client = new SqliteClient({
    adapter: shared.factory,
    // A transaction waits for the write lock when it begins (BEGIN IMMEDIATE, see the wrapper): it may wait as
    // long as a statement may, which Prisma's own limit on a transaction's start would otherwise cut short.
    transactionOptions: { maxWait: Math.max(PRISMA_DEFAULT_MAX_WAIT_MS, busyTimeoutMs) },
    log,
  });
  if (options.onQuery) client.$on("query", onQuery);
  return withSql(
    client,
    createSql(shared.connect, {
      dialect: "sqlite",
      maxWaitMs: options.transactionMaxWaitMs ?? Math.max(TX_MAX_WAIT_MS, busyTimeoutMs),
      onQuery: options.onQuery,
    }),
  );
}

/**
 * How long a transaction of the SQL path may wait to start (a free pool connection, this process's other
 * writers); on SQLite at least as long as a statement may wait for another process's lock.
 */
const TX_MAX_WAIT_MS = 10_000;

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
