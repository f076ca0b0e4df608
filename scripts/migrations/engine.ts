/**
 * Prisma migrations through Prisma's Wasm schema engine (`@prisma/schema-engine-wasm`), driven with
 * migration-aware driver adapters (`@prisma/adapter-better-sqlite3`, `@prisma/adapter-pg`), so migrations need
 * no download of the native engine the Prisma CLI would fetch. This module does what
 * `prisma migrate deploy|status|dev|diff|reset` would, with the same migration folders, lock files and
 * `_prisma_migrations` table, so the standard CLI agrees with it.
 *
 * Used by scripts/migrate.ts and by test set-up code. Every function opens its own engine and closes it (and
 * its connections) before returning. The Wasm engine arms timers that would keep Node alive for up to 60 s;
 * they are unref'd once an operation is over, and CLI callers should still `process.exit()` explicitly.
 *
 * Snags of the Wasm engine with driver adapters, handled here:
 * - fresh SQLite database without `_prisma_migrations` (P1014): an empty migration list is applied first;
 * - better-sqlite3 refuses multi-statement `executeRaw` (whole migration files on the shadow database):
 *   parameterless raw SQL falls back to `exec`;
 * - adapter-pg cannot decode the catalog type `"char"` (oid 18): reported to the adapter as text (oid 25);
 * - `PrismaPg({ connectionString })` lets the URL override the shadow database name: connections are built
 *   from separate fields and the shadow database is created / dropped (`WITH (FORCE)`) here;
 * - the engine's reset leaves SQLite tables behind: SQLite reset deletes the database file instead.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from "@prisma/driver-adapter-utils";
import type {
  DiagnoseMigrationHistoryOutput,
  HistoryDiagnostic,
  MigrationList,
  SchemaEngine,
  SchemaFilter,
} from "@prisma/schema-engine-wasm";
import pg from "pg";
import { DEFAULT_TEST_POSTGRES_URL, env } from "../../src/env";

export type Provider = "sqlite" | "postgresql";
export const PROVIDERS: readonly Provider[] = ["sqlite", "postgresql"];

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

// ---------------------------------------------------------------------------------------------------------
// Paths and URLs

/**
 * Where prisma/ lives: the repository this file belongs to (MIGRATE_PROJECT_ROOT overrides it, e.g. to check a
 * copy of the schemas). Relative SQLite `file:` URLs resolve against process.cwd() instead, like every other
 * tool that reads DATABASE_URL (npm scripts, Vitest and Playwright run from the project root).
 */
export function projectRoot(): string {
  return env.MIGRATE_PROJECT_ROOT
    ? path.resolve(env.MIGRATE_PROJECT_ROOT)
    : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
}

export function databaseUrlFromEnv(): string {
  return env.DATABASE_URL;
}

export function providerForUrl(url: string): Provider {
  return /^postgres(?:ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

export interface ProviderPaths {
  provider: Provider;
  schemaPath: string;
  migrationsDir: string;
}

export function providerPaths(provider: Provider, root: string = projectRoot()): ProviderPaths {
  const dir = provider === "postgresql" ? path.join(root, "prisma", "postgresql") : path.join(root, "prisma");
  return {
    provider,
    schemaPath: path.join(dir, "schema.prisma"),
    migrationsDir: path.join(dir, "migrations"),
  };
}

/** Absolute path of a SQLite `file:` URL (relative paths resolve against the project root). */
export function sqliteFilePath(url: string): string {
  let p = url.replace(/^file:/i, "");
  const q = p.indexOf("?");
  if (q >= 0) p = p.slice(0, q);
  if (p.startsWith("//")) p = p.slice(2); // file:///abs/path
  if (p === ":memory:" || p === "") return ":memory:";
  return path.resolve(process.cwd(), p);
}

/** For messages: hides a password in a URL. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, "//$1:***@");
}

// ---------------------------------------------------------------------------------------------------------
// Migration folders

export function readMigrationsList(migrationsDir: string): MigrationList {
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const lockfile = {
    path: "migration_lock.toml",
    content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null,
  };
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort((a, b) => a.localeCompare(b))
    : [];
  return {
    baseDir: migrationsDir,
    lockfile,
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      let content: { tag: "ok"; value: string } | { tag: "error"; value: string };
      try {
        content = { tag: "ok", value: readFileSync(file, "utf8") };
      } catch (e) {
        content = { tag: "error", value: (e as Error).message };
      }
      return { path: name, migrationFile: { path: "migration.sql", content } };
    }),
  };
}

function lockFileContent(provider: Provider): string {
  return `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
}

/** The engine derives the connector from the lock file: supply the standard one when it is missing. */
function withLockFile(list: MigrationList, provider: Provider): MigrationList {
  if (list.lockfile.content != null) return list;
  return {
    ...list,
    lockfile: { ...list.lockfile, content: lockFileContent(provider) },
  };
}

function assertLockProvider(list: MigrationList, provider: Provider): void {
  const content = list.lockfile.content;
  if (content == null) return;
  const m = /provider\s*=\s*"([^"]+)"/.exec(content);
  if (m && m[1] !== provider) {
    throw new MigrationError(
      `${path.join(list.baseDir, "migration_lock.toml")} says provider "${m[1]}" but the database is ${provider}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// The Wasm engine

export class MigrationError extends Error {
  override name = "MigrationError";
}

type WasmModule = typeof import("@prisma/schema-engine-wasm");

let wasmModule: Promise<WasmModule> | undefined;
/** Timers the engine armed; unref'd when an operation ends so they cannot keep the process alive. */
const engineTimers = new Set<ReturnType<typeof setTimeout>>();

function loadWasm(): Promise<WasmModule> {
  wasmModule ??= (async () => {
    // The package's entry imports the .wasm file as an ES module, which Node 20 cannot do: instantiate it
    // by hand from its wasm-bindgen glue.
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as Record<string, unknown>;
    const imports: Record<string, unknown> = { ...glue };
    for (const key of Object.keys(glue)) {
      if (key.startsWith("__wbg_setTimeout_")) {
        imports[key] = (fn: () => void, ms: number) => {
          const t = setTimeout(() => {
            engineTimers.delete(t);
            fn();
          }, ms >>> 0);
          engineTimers.add(t);
          return t;
        };
      }
    }
    const bytes = readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": imports,
    } as WebAssembly.Imports);
    (glue.__wbg_set_wasm as (w: unknown) => void)(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue as unknown as WasmModule;
  })();
  return wasmModule;
}

function releaseEngineTimers(): void {
  for (const t of engineTimers) t.unref?.();
}

// ---------------------------------------------------------------------------------------------------------
// Driver adapters

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

function sqliteFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
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

interface PgFields {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  schema?: string;
  ssl?: pg.ClientConfig["ssl"];
}

export function parsePostgresUrl(url: string): PgFields {
  const u = new URL(url);
  const sslmode = u.searchParams.get("sslmode");
  return {
    host: decodeURIComponent(u.hostname || u.searchParams.get("host") || "localhost"),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username || env.PGUSER || "postgres"),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres",
    schema: u.searchParams.get("schema") ?? undefined,
    ssl: sslmode && sslmode !== "disable" ? { rejectUnauthorized: sslmode === "verify-full" } : undefined,
  };
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const CHAR_COLUMNS = Symbol("charColumns");

type PgResultLike = {
  fields?: Array<{ dataTypeID: number }>;
  rows?: unknown[];
};
type PgQueryableLike = {
  performIO(q: SqlQuery): Promise<PgResultLike>;
  queryRaw(q: SqlQuery): Promise<SqlResultSet>;
};

/**
 * adapter-pg cannot decode the catalog type `"char"` (oid 18) that the engine reads while describing a schema
 * (UnsupportedNativeDataType). Such columns are handed to the adapter as text and reported to the engine as
 * ColumnType.Character, which is what it expects for them.
 */
function patchPgCharColumns<T extends object>(queryable: T): T {
  const q = queryable as unknown as PgQueryableLike;
  if (typeof q.performIO !== "function") return queryable;
  const performIO = q.performIO.bind(q);
  const queryRaw = q.queryRaw.bind(q);
  q.performIO = async (query) => {
    const result = await performIO(query);
    const cols: number[] = [];
    result.fields?.forEach((f, i) => {
      if (f.dataTypeID === PG_CHAR_OID) {
        f.dataTypeID = PG_TEXT_OID;
        cols.push(i);
      }
    });
    if (cols.length && result.rows) (result.rows as unknown as Record<symbol, number[]>)[CHAR_COLUMNS] = cols;
    return result;
  };
  q.queryRaw = async (query) => {
    const result = await queryRaw(query);
    const cols = (result.rows as unknown as Record<symbol, number[] | undefined>)[CHAR_COLUMNS];
    for (const i of cols ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

function patchPgAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  patchPgCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => patchPgCharColumns(await startTransaction(...args));
  return adapter;
}

function pgPoolConfig(f: PgFields, database: string): pg.PoolConfig {
  return {
    host: f.host,
    port: f.port,
    user: f.user,
    password: f.password,
    database,
    ssl: f.ssl,
    max: 4,
  };
}

async function pgAdmin<T>(f: PgFields, database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    host: f.host,
    port: f.port,
    user: f.user,
    password: f.password,
    database,
    ssl: f.ssl,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

function pgFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const f = parsePostgresUrl(url);
  const options = f.schema ? { schema: f.schema } : undefined;
  const main = new PrismaPg(pgPoolConfig(f, f.database), options);
  return {
    provider: "postgres",
    adapterName: main.adapterName,
    connect: async () => patchPgAdapter(await main.connect()),
    connectToShadowDb: async () => {
      const shadowName = `prisma_shadow_${Date.now()}_${randomBytes(4).toString("hex")}`;
      await pgAdmin(f, f.database, (c) => c.query(`CREATE DATABASE ${quoteIdent(shadowName)}`));
      const adapter = patchPgAdapter(await new PrismaPg(pgPoolConfig(f, shadowName), options).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        try {
          await dispose();
        } finally {
          await pgAdmin(f, f.database, (c) =>
            c.query(`DROP DATABASE IF EXISTS ${quoteIdent(shadowName)} WITH (FORCE)`),
          );
        }
      };
      return adapter;
    },
  };
}

/** The migration-aware adapter factory for a database URL (exported for tests that want to reuse it). */
export function adapterFactoryFor(url: string): SqlMigrationAwareDriverAdapterFactory {
  return providerForUrl(url) === "postgresql" ? pgFactory(url) : sqliteFactory(url);
}

/**
 * Runs `fn` with a fresh engine bound to `url`'s database. Connections the engine opened are disposed and its
 * timers released afterwards.
 */
export async function withEngine<T>(
  url: string,
  provider: Provider,
  fn: (engine: SchemaEngine, ctx: { factory: SqlMigrationAwareDriverAdapterFactory }) => Promise<T>,
): Promise<T> {
  const wasm = await loadWasm();
  const { schemaPath } = providerPaths(provider);
  const factory = adapterFactoryFor(url);
  if ((factory.provider === "postgres") !== (provider === "postgresql")) {
    throw new MigrationError(`database URL ${redactUrl(url)} does not match provider ${provider}`);
  }
  // Track every connection the engine opens so that none outlives the operation.
  const opened: SqlDriverAdapter[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  };
  function track(a: SqlDriverAdapter): SqlDriverAdapter {
    const dispose = a.dispose.bind(a);
    let disposed = false;
    a.dispose = async () => {
      if (disposed) return;
      disposed = true;
      await dispose();
    };
    opened.push(a);
    return a;
  }
  const logs: string[] = [];
  const debug = env.MIGRATE_DEBUG;
  const engine = await wasm.SchemaEngine.new(
    { datamodels: [[schemaPath, readFileSync(schemaPath, "utf8")]] },
    (log: string) => {
      if (debug) console.error(`[schema-engine] ${log}`);
      logs.push(log);
      if (logs.length > 50) logs.shift();
    },
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  try {
    return await fn(engine, { factory });
  } catch (e) {
    throw toMigrationError(e);
  } finally {
    try {
      engine.free();
    } catch {}
    for (const a of opened) await a.dispose().catch(() => {});
    releaseEngineTimers();
  }
}

function toMigrationError(e: unknown): Error {
  if (e instanceof MigrationError) return e;
  if (e instanceof Error) {
    // Engine errors come as JSON-ish objects or messages; keep the message readable.
    return Object.assign(new MigrationError(e.message), { cause: e });
  }
  if (e && typeof e === "object") {
    const o = e as {
      message?: string;
      error_code?: string;
      errorCode?: string;
    };
    const code = o.error_code ?? o.errorCode;
    return Object.assign(new MigrationError(`${code ? `${code}: ` : ""}${o.message ?? JSON.stringify(e)}`), {
      cause: e,
    });
  }
  return new MigrationError(String(e));
}

function schemaFiles(provider: Provider) {
  const { schemaPath } = providerPaths(provider);
  return {
    files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }],
  };
}

async function sqliteHasMigrationsTable(url: string): Promise<boolean> {
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

// ---------------------------------------------------------------------------------------------------------
// Public operations

export interface DeployResult {
  provider: Provider;
  appliedMigrationNames: string[];
}

/** `prisma migrate deploy`: applies pending migrations of the provider matching `databaseUrl`. */
export async function deployMigrations(databaseUrl: string = databaseUrlFromEnv()): Promise<DeployResult> {
  const provider = providerForUrl(databaseUrl);
  const list = readMigrationsList(providerPaths(provider).migrationsDir);
  assertLockProvider(list, provider);
  return withEngine(databaseUrl, provider, async (engine) => {
    if (provider === "sqlite" && !(await sqliteHasMigrationsTable(databaseUrl))) {
      // A fresh SQLite database has no _prisma_migrations table yet (P1014): apply the empty list first.
      await engine.applyMigrations({
        migrationsList: { ...list, migrationDirectories: [] },
        filters: NO_FILTER,
      });
    }
    const out = await engine.applyMigrations({
      migrationsList: list,
      filters: NO_FILTER,
    });
    return { provider, appliedMigrationNames: out.appliedMigrationNames };
  });
}

export interface MigrationStatus {
  provider: Provider;
  migrationsDir: string;
  localMigrations: string[];
  hasMigrationsTable: boolean;
  /** Local migrations not yet applied to the database. */
  unappliedMigrations: string[];
  /** Migrations recorded in the database but missing locally. */
  unpersistedMigrations: string[];
  failedMigrations: string[];
  editedMigrations: string[];
  history: HistoryDiagnostic | null;
  upToDate: boolean;
}

/** `prisma migrate status`. Read-only: a database without `_prisma_migrations` reports everything unapplied. */
export async function migrationStatus(databaseUrl: string = databaseUrlFromEnv()): Promise<MigrationStatus> {
  const provider = providerForUrl(databaseUrl);
  const { migrationsDir } = providerPaths(provider);
  const list = readMigrationsList(migrationsDir);
  assertLockProvider(list, provider);
  const localMigrations = list.migrationDirectories.map((d) => d.path);
  const base = { provider, migrationsDir, localMigrations };
  if (provider === "sqlite" && !(await sqliteHasMigrationsTable(databaseUrl))) {
    return {
      ...base,
      hasMigrationsTable: false,
      unappliedMigrations: localMigrations,
      unpersistedMigrations: [],
      failedMigrations: [],
      editedMigrations: [],
      history: localMigrations.length
        ? {
            diagnostic: "databaseIsBehind",
            unappliedMigrationNames: localMigrations,
          }
        : null,
      upToDate: localMigrations.length === 0,
    };
  }
  const out: DiagnoseMigrationHistoryOutput = await withEngine(databaseUrl, provider, (engine) =>
    engine.diagnoseMigrationHistory({
      migrationsList: list,
      optInToShadowDatabase: false,
      filters: NO_FILTER,
    }),
  );
  const h = out.history;
  const unapplied = !out.hasMigrationsTable
    ? localMigrations
    : h?.diagnostic === "databaseIsBehind" || h?.diagnostic === "historiesDiverge"
      ? h.unappliedMigrationNames
      : [];
  const unpersisted =
    h?.diagnostic === "migrationsDirectoryIsBehind" || h?.diagnostic === "historiesDiverge"
      ? h.unpersistedMigrationNames
      : [];
  return {
    ...base,
    hasMigrationsTable: out.hasMigrationsTable,
    unappliedMigrations: unapplied,
    unpersistedMigrations: unpersisted,
    failedMigrations: out.failedMigrationNames,
    editedMigrations: out.editedMigrationNames,
    history: h,
    upToDate:
      unapplied.length === 0 &&
      unpersisted.length === 0 &&
      out.failedMigrationNames.length === 0 &&
      out.editedMigrationNames.length === 0,
  };
}

/** URL whose server hosts the shadow database for `provider` when no database is named. */
export function shadowServerUrl(provider: Provider): string {
  if (provider === "sqlite") return "file::memory:";
  if (providerForUrl(env.DATABASE_URL) === "postgresql") return env.DATABASE_URL;
  return env.MIGRATE_POSTGRES_URL ?? env.TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL;
}

/**
 * Diff "all migrations applied to an empty shadow database" -> "the schema file". Returns the SQL that would
 * bring the migrations up to the schema, or null when they agree.
 */
export async function diffMigrationsToSchema(
  provider: Provider,
  serverUrl: string = shadowServerUrl(provider),
): Promise<string | null> {
  const { migrationsDir } = providerPaths(provider);
  const list = readMigrationsList(migrationsDir);
  assertLockProvider(list, provider);
  return withEngine(serverUrl, provider, async (engine) => {
    const out = await engine.diff({
      from: { tag: "migrations", ...withLockFile(list, provider) },
      to: { tag: "schemaDatamodel", ...schemaFiles(provider) },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    });
    // exitCode: 0 = no difference, 2 = the migrations do not yield the schema.
    if (out.exitCode === 0) return null;
    const script = out.stdout ?? "";
    return script.trim() ? script : "-- (the engine reported a difference but printed no SQL)\n";
  });
}

export class DriftError extends MigrationError {
  override name = "DriftError";
  constructor(
    readonly provider: Provider,
    readonly script: string,
  ) {
    const { schemaPath, migrationsDir } = providerPaths(provider);
    const rel = (p: string) => path.relative(projectRoot(), p);
    super(
      `${rel(schemaPath)} and ${rel(migrationsDir)} disagree: applying all migrations to an empty database ` +
        `does not yield the schema. Missing from the migrations:\n\n${script.trim()}\n\n` +
        `Run \`npm run db:derive\`, then create the migration: \`npm run db:migrate -- dev --name <change> --all\``,
    );
  }
}

/** Throws DriftError when the provider's schema file and its migrations folder disagree. */
export async function checkDrift(provider: Provider, serverUrl?: string): Promise<void> {
  const script = await diffMigrationsToSchema(provider, serverUrl);
  if (script !== null) throw new DriftError(provider, script);
}

export interface CreateMigrationOptions {
  provider: Provider;
  /** Migration name (snake_cased into the folder name after the timestamp). */
  name: string;
  /** Server for the shadow database (PostgreSQL only); defaults to shadowServerUrl(provider). */
  serverUrl?: string;
  /** Write the migration even when it is empty (like `prisma migrate dev --create-only` on no changes). */
  allowEmpty?: boolean;
}

export interface CreatedMigration {
  provider: Provider;
  migrationName: string;
  migrationPath: string;
}

/** Folder-name form of a migration name, as the Prisma CLI makes it (snake_case, at most 200 chars). */
export function slugifyMigrationName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
}

function migrationTimestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/**
 * `prisma migrate dev --create-only`: diffs the migrations folder (replayed on a shadow database) against the
 * schema and writes `<migrationsDir>/<timestamp>_<name>/migration.sql` plus `migration_lock.toml`.
 * Returns null when the schema has no changes (unless allowEmpty).
 *
 * The Wasm engine's own createMigration cannot use an adapter-provided shadow database ("SQLite shadow DB
 * must be provided through an external factory"), so this goes through `diff` (migrations -> schema), which
 * renders the same SQL, and writes the folder the way the CLI does.
 */
export async function createMigration(opts: CreateMigrationOptions): Promise<CreatedMigration | null> {
  const { provider } = opts;
  const name = slugifyMigrationName(opts.name);
  if (!name) throw new MigrationError(`invalid migration name ${JSON.stringify(opts.name)}`);
  const { migrationsDir } = providerPaths(provider);
  let script = await diffMigrationsToSchema(provider, opts.serverUrl);
  if (script === null) {
    if (!opts.allowEmpty) return null;
    script = "-- This is an empty migration.";
  }
  const migrationName = `${migrationTimestamp()}_${name}`;
  const dir = path.join(migrationsDir, migrationName);
  if (existsSync(dir)) throw new MigrationError(`The migration directory already exists at ${dir}`);
  mkdirSync(dir, { recursive: true });
  const migrationPath = path.join(dir, "migration.sql");
  writeFileSync(migrationPath, script.endsWith("\n") ? script : `${script}\n`);
  writeFileSync(path.join(migrationsDir, "migration_lock.toml"), lockFileContent(provider));
  return { provider, migrationName, migrationPath };
}

/**
 * `prisma migrate reset --skip-seed`: drops everything in the database, then applies all migrations.
 * SQLite: the database file (and its -wal/-shm/-journal) is deleted, since the engine's reset leaves tables.
 */
export async function resetDatabase(databaseUrl: string = databaseUrlFromEnv()): Promise<DeployResult> {
  const provider = providerForUrl(databaseUrl);
  if (provider === "sqlite") {
    const file = sqliteFilePath(databaseUrl);
    if (file !== ":memory:") {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
    }
  } else {
    await withEngine(databaseUrl, provider, (engine) => engine.reset({ filter: NO_FILTER }));
  }
  return deployMigrations(databaseUrl);
}
