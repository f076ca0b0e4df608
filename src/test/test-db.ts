import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { seedCatalog } from "@/server/catalog/seed-catalog";
import { createDb, type Db } from "@/server/db";
import { deployMigrations } from "../../scripts/migrations/deploy";
import { testPostgresUrl } from "../../scripts/postgres/test-server";

export type Provider = "sqlite" | "postgresql";
export const providers: Provider[] = ["sqlite", "postgresql"];

export type TestDatabase = { provider: Provider; url: string; db: Db; drop: () => Promise<void> };

const adminUrl = testPostgresUrl;

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** An empty database: a temporary SQLite file, or a new PostgreSQL database on the test server. */
export async function createEmptyDatabase(provider: Provider): Promise<{ url: string; drop: () => Promise<void> }> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "rsc-test-"));
    return {
      url: `file:${path.join(dir, "test.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `rsc_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

/**
 * A fresh database for one test file (see createEmptyDatabase), migrated with the checked-in migrations and
 * seeded with the catalog; dropped by drop().
 */
export async function createTestDatabase(provider: Provider, options: { seed?: boolean } = {}): Promise<TestDatabase> {
  const { url, drop: cleanup } = await createEmptyDatabase(provider);
  await deployMigrations(url);
  const db = createDb(url);
  if (options.seed !== false) await seedCatalog(db);
  return {
    provider,
    url,
    db,
    drop: async () => {
      await db.$disconnect();
      await cleanup();
    },
  };
}
