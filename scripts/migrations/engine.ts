/**
 * Prisma migrations through Prisma's Wasm schema engine (`@prisma/schema-engine-wasm`), driven with
 * migration-aware driver adapters (`@prisma/adapter-better-sqlite3`, `@prisma/adapter-pg`), so migrations need
 * no download of the native engine the Prisma CLI would fetch. The operations (deploy.ts, status.ts,
 * schema-diff.ts) do what `prisma migrate deploy|status|dev|diff|reset` would, with the same migration folders,
 * lock files and `_prisma_migrations` table, so the standard CLI agrees with them.
 *
 * This module opens one engine per operation and closes it (and its connections) before returning.
 */
import { readFileSync } from "node:fs";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm";
import { env } from "../../src/env";
import { MigrationError, toMigrationError } from "./errors";
import { type Provider, providerForUrl, providerPaths, redactUrl } from "./paths";
import { pgFactory } from "./pg-adapter";
import { sqliteFactory } from "./sqlite-adapter";
import { loadWasm, releaseEngineTimers } from "./wasm";

export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

function adapterFactoryFor(url: string): SqlMigrationAwareDriverAdapterFactory {
  return providerForUrl(url) === "postgresql" ? pgFactory(url) : sqliteFactory(url);
}

/**
 * Runs `fn` with a fresh engine bound to `url`'s database and the schema of `provider` under `root`.
 * Connections the engine opened are disposed and its timers released afterwards.
 */
export async function withEngine<T>(
  url: string,
  provider: Provider,
  root: string,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const wasm = await loadWasm();
  const { schemaPath } = providerPaths(provider, root);
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
    return await fn(engine);
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
