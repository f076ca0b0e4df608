/**
 * The SQLite side of the migration-aware adapter: better-sqlite3 refuses multi-statement `executeRaw` (whole
 * migration files on the shadow database), so parameterless raw SQL falls back to `exec`; and a migration
 * script runs in one transaction, so a failing migration leaves nothing half done.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from "@prisma/driver-adapter-utils";
import { SQLITE_CONNECTION_PRAGMAS } from "../../src/server/lib/sqlite-durability";
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

const pragmaValue = async (adapter: SqlDriverAdapter, pragma: string): Promise<unknown> =>
  (await adapter.queryRaw({ sql: `PRAGMA ${pragma}`, args: [], argTypes: [] })).rows[0]?.[0];

/**
 * Runs each script (a migration file) in a transaction, rolled back when a statement fails. Foreign keys are
 * switched off around it, as the scripts' own `PRAGMA foreign_keys=OFF` would (it is ignored inside a
 * transaction), and restored afterwards.
 */
function atomicScripts(adapter: SqlDriverAdapter): void {
  const executeScript = adapter.executeScript.bind(adapter);
  adapter.executeScript = async (script) => {
    const foreignKeys = await pragmaValue(adapter, "foreign_keys");
    await executeScript("PRAGMA foreign_keys=OFF");
    try {
      await executeScript("BEGIN");
      try {
        await executeScript(script);
        await executeScript("COMMIT");
      } catch (error) {
        await executeScript("ROLLBACK");
        throw error;
      }
    } finally {
      await executeScript(`PRAGMA foreign_keys=${foreignKeys === 0 || foreignKeys === 0n ? "OFF" : "ON"}`);
    }
  };
}

function patchSqliteAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  atomicScripts(adapter);
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

/** The durability settings of every connection of the project (before atomicScripts: WAL can't be set in a transaction). */
async function withConnectionPragmas(adapter: SqlDriverAdapter): Promise<SqlDriverAdapter> {
  for (const pragma of SQLITE_CONNECTION_PRAGMAS) await adapter.executeScript(pragma);
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
    connect: async () => patchSqliteAdapter(await withConnectionPragmas(await main.connect())),
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
