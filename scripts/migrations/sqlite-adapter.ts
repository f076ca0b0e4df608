/**
 * The SQLite side of the migration-aware adapter: better-sqlite3 refuses multi-statement `executeRaw` (whole
 * migration files on the shadow database), so parameterless raw SQL falls back to `exec`.
 *
 * Unlike on PostgreSQL, a migration script is not wrapped in a transaction here: a wrapper (foreign keys
 * off, BEGIN, script, COMMIT) was tried, and the SQLite kill -9 chaos test then lost provider charges in
 * 3 runs of 3 (0 of 2 without it), for a reason not found yet. A failing SQLite migration keeps the
 * statements before the failing one, as with Prisma's own engine.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";
import { sqliteFilePath } from "./paths";

/** better-sqlite3 refuses multi-statement SQL in prepare(); the engine sends whole migration files. */
function isMultiStatementError(e: unknown): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = e;
  while (cur && typeof cur === "object" && !seen.has(cur)) {
    seen.add(cur);
    const msg = String((cur as { message?: unknown }).message ?? "");
    if (/more than one statement/i.test(msg)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return /more than one statement/i.test(String(e));
}

type Execable = { executeRaw(q: SqlQuery): Promise<number> };

function patchMultiStatement<T extends Execable>(target: T, runScript: (sql: string) => Promise<void>): T {
  const original = target.executeRaw.bind(target);
  target.executeRaw = async (q: SqlQuery) => {
    try {
      return await original(q);
    } catch (e) {
      if (q.args.length === 0 && isMultiStatementError(e)) {
        await runScript(q.sql);
        return 0;
      }
      throw e;
    }
  };
  return target;
}

function patchSqliteAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  patchMultiStatement(adapter, (sql) => adapter.executeScript(sql));
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => {
    const tx = await startTransaction(...args);
    const client = (tx as unknown as { client?: { exec(sql: string): unknown } }).client;
    if (client && typeof client.exec === "function") {
      patchMultiStatement(tx, async (sql) => {
        client.exec(sql);
      });
    }
    return tx;
  };
  return adapter;
}

export function sqliteFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const file = sqliteFilePath(url);
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const main = new PrismaBetterSqlite3({ url: file });
  const shadow = new PrismaBetterSqlite3({ url: ":memory:" });
  return {
    provider: "sqlite",
    adapterName: main.adapterName,
    connect: async () => patchSqliteAdapter(await main.connect()),
    connectToShadowDb: async () => patchSqliteAdapter(await shadow.connect()),
  };
}

/** A fresh SQLite database has no _prisma_migrations table, which the engine cannot cope with (P1014). */

export async function sqliteHasMigrationsTable(url: string): Promise<boolean> {
  const file = sqliteFilePath(url);
  if (file !== ":memory:" && !existsSync(file)) return false;
  const adapter = await new PrismaBetterSqlite3({ url: file }).connect();
  try {
    const r = await adapter.queryRaw({
      sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
      args: [],
      argTypes: [],
    });
    return r.rows.length > 0;
  } finally {
    await adapter.dispose();
  }
}
