/**
 * Comparing the migrations folder with the schema file: the drift check and `prisma migrate dev
 * --create-only`, both through a diff "migrations replayed on a shadow database" -> "schema".
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_TEST_POSTGRES_URL, env } from "../../src/env";
import { NO_FILTER, withEngine } from "./engine";
import { MigrationError } from "./errors";
import {
  assertLockProvider,
  lockFileContent,
  migrationTimestamp,
  readMigrationsList,
  slugifyMigrationName,
  withLockFile,
} from "./folders";
import { type Provider, projectRoot, providerForUrl, providerPaths } from "./paths";

/** URL whose server hosts the shadow database for `provider` when no database is named. */
function shadowServerUrl(provider: Provider): string {
  if (provider === "sqlite") return "file::memory:";
  if (providerForUrl(env.DATABASE_URL) === "postgresql") return env.DATABASE_URL;
  return env.MIGRATE_POSTGRES_URL ?? env.TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL;
}

/**
 * Diff "all migrations applied to an empty shadow database" -> "the schema file". Returns the SQL that would
 * bring the migrations up to the schema, or null when they agree.
 */
async function diffMigrationsToSchema(
  provider: Provider,
  serverUrl: string = shadowServerUrl(provider),
  root: string = projectRoot(),
): Promise<string | null> {
  const { migrationsDir, schemaPath } = providerPaths(provider, root);
  const list = readMigrationsList(migrationsDir);
  assertLockProvider(list, provider);
  return withEngine(serverUrl, provider, root, async (engine) => {
    const out = await engine.diff({
      from: { tag: "migrations", ...withLockFile(list, provider) },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }] },
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
    root: string = projectRoot(),
  ) {
    const { schemaPath, migrationsDir } = providerPaths(provider, root);
    const rel = (p: string) => path.relative(root, p);
    super(
      `${rel(schemaPath)} and ${rel(migrationsDir)} disagree: applying all migrations to an empty database ` +
        `does not yield the schema. Missing from the migrations:\n\n${script.trim()}\n\n` +
        `Run \`npm run db:derive\`, then create the migration: \`npm run db:migrate -- dev --name <change> --all\``,
    );
  }
}

/** Throws DriftError when the provider's schema file and its migrations folder disagree. */
export async function checkDrift(provider: Provider, serverUrl?: string, root: string = projectRoot()): Promise<void> {
  const script = await diffMigrationsToSchema(provider, serverUrl, root);
  if (script !== null) throw new DriftError(provider, script, root);
}

export interface CreateMigrationOptions {
  provider: Provider;
  /** Migration name (snake_cased into the folder name after the timestamp). */
  name: string;
  /** Server for the shadow database (PostgreSQL only); defaults to shadowServerUrl(provider). */
  serverUrl?: string;
  /** Write the migration even when it is empty (like `prisma migrate dev --create-only` on no changes). */
  allowEmpty?: boolean;
  /** Project whose prisma/ folder is read and written; defaults to projectRoot(). */
  root?: string;
}

export interface CreatedMigration {
  provider: Provider;
  migrationName: string;
  migrationPath: string;
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
  const root = opts.root ?? projectRoot();
  const { migrationsDir } = providerPaths(provider, root);
  let script = await diffMigrationsToSchema(provider, opts.serverUrl, root);
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
