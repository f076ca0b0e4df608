/**
 * `prisma migrate` through Prisma's Wasm schema engine (scripts/migrations/): no native engine download.
 *
 *   tsx scripts/migrate.ts deploy                 apply pending migrations to DATABASE_URL
 *   tsx scripts/migrate.ts status                 show applied / pending migrations (exit 1 if not up to date)
 *   tsx scripts/migrate.ts dev --name <name>      create a migration from schema changes (provider of DATABASE_URL)
 *          [--provider sqlite|postgresql] [--all] [--allow-empty]
 *   tsx scripts/migrate.ts drift [--provider p] [--all]
 *                                                 exit 1 when a schema and its migrations folder disagree
 *   tsx scripts/migrate.ts reset                  drop everything in DATABASE_URL and re-apply all migrations
 *
 * DATABASE_URL defaults to file:./data/dev.db (relative to the project root). `postgresql://` URLs select
 * prisma/postgresql/{schema.prisma,migrations}. PostgreSQL shadow databases are created on the server of a
 * PostgreSQL DATABASE_URL, else MIGRATE_POSTGRES_URL, else the tests' server (TEST_POSTGRES_URL or its default;
 * `npm run check:drift` starts an embedded one when none answers). All of it is read through src/env.ts.
 *
 * Always exits explicitly: the Wasm engine keeps timers alive.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { env } from "../src/env";
import { deployMigrations, resetDatabase } from "./migrations/deploy";
import {
  databaseUrlFromEnv,
  PROVIDERS,
  type Provider,
  providerForUrl,
  providerPaths,
  redactUrl,
} from "./migrations/paths";
import { checkDrift, createMigration, DriftError } from "./migrations/schema-diff";
import { migrationStatus } from "./migrations/status";

const USAGE = `usage: tsx scripts/migrate.ts <deploy|status|dev|drift|reset> [options]
  dev    --name <name> [--provider sqlite|postgresql] [--all] [--allow-empty]
  drift  [--provider sqlite|postgresql] [--all]`;

const rel = (p: string) => path.relative(process.cwd(), p) || ".";

function parseProvider(value: string | undefined): Provider | undefined {
  if (value === undefined) return undefined;
  if (value === "postgres") return "postgresql";
  if ((PROVIDERS as readonly string[]).includes(value)) return value as Provider;
  throw new Error(`--provider must be sqlite or postgresql, got ${JSON.stringify(value)}`);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string", short: "n" },
      provider: { type: "string" },
      all: { type: "boolean", default: false },
      "allow-empty": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const url = databaseUrlFromEnv();
  const providerOverride = parseProvider(values.provider);
  const providers: Provider[] = values.all ? [...PROVIDERS] : [providerOverride ?? providerForUrl(url)];

  switch (command) {
    case "deploy": {
      const { provider, appliedMigrationNames } = await deployMigrations(url);
      const dir = rel(providerPaths(provider).migrationsDir);
      if (appliedMigrationNames.length === 0) {
        console.log(`migrate deploy: ${redactUrl(url)} is up to date with ${dir}; nothing to apply.`);
      } else {
        console.log(
          `migrate deploy: applied ${appliedMigrationNames.length} migration(s) from ${dir} to ${redactUrl(url)}:`,
        );
        for (const m of appliedMigrationNames) console.log(`  - ${m}`);
      }
      return 0;
    }
    case "status": {
      const s = await migrationStatus(url);
      console.log(
        `migrate status: ${s.localMigrations.length} migration(s) in ${rel(s.migrationsDir)}; database ${redactUrl(url)}`,
      );
      if (!s.hasMigrationsTable) console.log("  the database has no _prisma_migrations table yet");
      for (const [label, list] of [
        ["not yet applied", s.unappliedMigrations],
        ["applied to the database but missing locally", s.unpersistedMigrations],
        ["failed", s.failedMigrations],
        ["edited after being applied", s.editedMigrations],
      ] as const) {
        if (list.length) console.log(`  ${label}:\n${list.map((m) => `    - ${m}`).join("\n")}`);
      }
      console.log(
        s.upToDate
          ? "Database schema is up to date!"
          : "Database schema is NOT up to date: run `npm run db:migrate -- deploy`.",
      );
      return s.upToDate ? 0 : 1;
    }
    case "dev": {
      if (!values.name) throw new Error("dev needs --name <migration name>");
      let created = 0;
      for (const provider of providers) {
        const m = await createMigration({
          provider,
          name: values.name,
          allowEmpty: values["allow-empty"],
        });
        if (m) {
          created++;
          console.log(`migrate dev (${provider}): created ${rel(m.migrationPath)}`);
        } else {
          console.log(
            `migrate dev (${provider}): ${rel(providerPaths(provider).schemaPath)} has no changes; no migration created.`,
          );
        }
      }
      if (created && !values.all) {
        console.log("Remember: both databases need the migration (`--all`).");
      }
      return 0;
    }
    case "drift": {
      let drifted = 0;
      for (const provider of providers) {
        try {
          await checkDrift(provider);
          const p = providerPaths(provider);
          console.log(`migrate drift (${provider}): ${rel(p.migrationsDir)} matches ${rel(p.schemaPath)}.`);
        } catch (e) {
          if (!(e instanceof DriftError)) throw e;
          drifted++;
          console.error(`migrate drift (${provider}): DRIFT: ${e.message}\n`);
        }
      }
      return drifted ? 1 : 0;
    }
    case "reset": {
      const { appliedMigrationNames } = await resetDatabase(url);
      console.log(`migrate reset: ${redactUrl(url)} reset; applied ${appliedMigrationNames.length} migration(s).`);
      return 0;
    }
    default:
      console.error(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as Error;
    console.error(`migrate: ${e?.message ?? String(err)}`);
    if (env.MIGRATE_DEBUG && e?.stack) console.error(e.stack);
    process.exit(1);
  },
);
