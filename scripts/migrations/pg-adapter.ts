/**
 * The PostgreSQL side of the migration-aware adapter:
 * - adapter-pg cannot decode the catalog type `"char"` (oid 18): reported to the adapter as text (oid 25);
 * - `PrismaPg({ connectionString })` lets the URL override the shadow database name: connections are built
 *   from separate fields and the shadow database is created / dropped (`WITH (FORCE)`) here;
 * - adapter-pg runs a script statement by statement, split at every `;`: a migration script is sent whole
 *   instead, as one simple query, which PostgreSQL runs as one transaction (all or nothing).
 */
import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { env } from "../../src/env";

interface PgFields {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  schema?: string;
  ssl?: pg.ClientConfig["ssl"];
}

function parsePostgresUrl(url: string): PgFields {
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

function patchPgAdapter(adapter: SqlDriverAdapter, f: PgFields, database: string): SqlDriverAdapter {
  patchPgCharColumns(adapter);
  adapter.executeScript = async (script) => {
    const searchPath = f.schema ? `SET search_path TO ${quoteIdent(f.schema)};\n` : "";
    await pgAdmin(f, database, (c) => c.query(`${searchPath}${script}`));
  };
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
  const { max: _pool, ...connection } = pgPoolConfig(f, database);
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

export function pgFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const f = parsePostgresUrl(url);
  const options = f.schema ? { schema: f.schema } : undefined;
  const main = new PrismaPg(pgPoolConfig(f, f.database), options);
  return {
    provider: "postgres",
    adapterName: main.adapterName,
    connect: async () => patchPgAdapter(await main.connect(), f, f.database),
    connectToShadowDb: async () => {
      const shadowName = `prisma_shadow_${Date.now()}_${randomBytes(4).toString("hex")}`;
      await pgAdmin(f, f.database, (c) => c.query(`CREATE DATABASE ${quoteIdent(shadowName)}`));
      const adapter = patchPgAdapter(await new PrismaPg(pgPoolConfig(f, shadowName), options).connect(), f, shadowName);
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
