/** `prisma migrate deploy` and `prisma migrate reset`. */
import { rmSync } from "node:fs";
import { NO_FILTER, withEngine } from "./engine";
import { MigrationError, toMigrationError } from "./errors";
import { assertLockProvider, readMigrationsList } from "./folders";
import { databaseUrlFromEnv, type Provider, projectRoot, providerForUrl, providerPaths, sqliteFilePath } from "./paths";
import { sqliteHasMigrationsTable } from "./sqlite-adapter";

export interface DeployResult {
  provider: Provider;
  appliedMigrationNames: string[];
}

/**
 * `prisma migrate deploy`: applies pending migrations of the provider matching `databaseUrl`. A migration that
 * fails is named in the error and recorded as failed; what it did before failing is not kept.
 */
export async function deployMigrations(
  databaseUrl: string = databaseUrlFromEnv(),
  root: string = projectRoot(),
): Promise<DeployResult> {
  const provider = providerForUrl(databaseUrl);
  const list = readMigrationsList(providerPaths(provider, root).migrationsDir);
  assertLockProvider(list, provider);
  return withEngine(databaseUrl, provider, root, async (engine) => {
    if (provider === "sqlite" && !(await sqliteHasMigrationsTable(databaseUrl))) {
      // A fresh SQLite database has no _prisma_migrations table yet (P1014): apply the empty list first.
      await engine.applyMigrations({
        migrationsList: { ...list, migrationDirectories: [] },
        filters: NO_FILTER,
      });
    }
    const out = await engine.applyMigrations({ migrationsList: list, filters: NO_FILTER }).catch(async (error) => {
      // The engine recorded the failed migration in _prisma_migrations but does not always name it.
      const failed = await engine
        .diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTER })
        .then((d) => d.failedMigrationNames)
        .catch(() => []);
      if (failed.length === 0) throw error;
      const message = toMigrationError(error).message;
      throw new MigrationError(`migration ${failed.join(", ")} failed and was rolled back: ${message}`, {
        cause: error,
      });
    });
    return { provider, appliedMigrationNames: out.appliedMigrationNames };
  });
}

/**
 * `prisma migrate reset --skip-seed`: drops everything in the database, then applies all migrations.
 * SQLite: the database file (and its -wal/-shm/-journal) is deleted, since the engine's reset leaves tables.
 */
export async function resetDatabase(
  databaseUrl: string = databaseUrlFromEnv(),
  root: string = projectRoot(),
): Promise<DeployResult> {
  const provider = providerForUrl(databaseUrl);
  if (provider === "sqlite") {
    const file = sqliteFilePath(databaseUrl);
    if (file !== ":memory:") {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
    }
  } else {
    await withEngine(databaseUrl, provider, root, (engine) => engine.reset({ filter: NO_FILTER }));
  }
  return deployMigrations(databaseUrl, root);
}
