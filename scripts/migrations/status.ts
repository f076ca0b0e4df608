/** `prisma migrate status`: which local migrations the database has, lacks, failed or saw edited. */
import type { DiagnoseMigrationHistoryOutput, HistoryDiagnostic } from "@prisma/schema-engine-wasm";
import { NO_FILTER, withEngine } from "./engine";
import { assertLockProvider, readMigrationsList } from "./folders";
import { databaseUrlFromEnv, type Provider, projectRoot, providerForUrl, providerPaths } from "./paths";
import { sqliteHasMigrationsTable } from "./sqlite-adapter";

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
export async function migrationStatus(
  databaseUrl: string = databaseUrlFromEnv(),
  root: string = projectRoot(),
): Promise<MigrationStatus> {
  const provider = providerForUrl(databaseUrl);
  const { migrationsDir } = providerPaths(provider, root);
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
  const out: DiagnoseMigrationHistoryOutput = await withEngine(databaseUrl, provider, root, (engine) =>
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
