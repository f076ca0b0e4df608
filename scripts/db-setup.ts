/**
 * `npm run db:setup`: applies the migrations of the configured database (SQLite by default) and seeds
 * the catalog. Safe to repeat. Works offline (no Prisma engine download).
 */
import { env } from "@/env";
import { seedCatalog } from "@/server/catalog/seed-catalog";
import { createDb } from "@/server/db";
import { deployMigrations } from "./migrations/deploy";
import { redactUrl } from "./migrations/paths";

async function main(): Promise<void> {
  const url = env.DATABASE_URL;
  const started = Date.now();
  const deployed = await deployMigrations(url);
  const applied = deployed.appliedMigrationNames;
  console.log(
    `[db:setup] ${redactUrl(url)}: ${applied.length ? `applied ${applied.join(", ")}` : "migrations up to date"}`,
  );
  const db = createDb(url);
  try {
    const { created } = await seedCatalog(db);
    console.log(
      `[db:setup] catalog: ${created ? `${created} products created` : "already seeded"} (${Date.now() - started} ms)`,
    );
  } finally {
    await db.$disconnect();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("[db:setup] failed:", error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
