import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { createEmptyDatabase, providers } from "@/test/test-db";
import { testPostgresUrl } from "../postgres/test-server";
import { deployMigrations } from "./deploy";
import { MigrationError } from "./errors";
import { projectRoot, providerPaths } from "./paths";
import { checkDrift, createMigration, DriftError } from "./schema-diff";
import { migrationStatus } from "./status";

const BROKEN = "29991231000000_broken";

describe.each(providers)("migration tool on %s", (provider) => {
  let root: string;
  let database: { url: string; drop: () => Promise<void> };
  let db: Db | null = null;
  const paths = () => providerPaths(provider, root);
  const shadowServer = provider === "postgresql" ? testPostgresUrl() : undefined;
  const localMigrations = () =>
    readdirSync(paths().migrationsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  const tableExists = async (name: string): Promise<boolean> => {
    db ??= createDb(database.url);
    const sql =
      provider === "sqlite"
        ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name = '${name}'`
        : `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = '${name}'`;
    const rows: unknown[] = await db.$queryRawUnsafe(sql);
    return rows.length > 0;
  };

  beforeEach(async () => {
    // A copy of the project's prisma/ folder, so a test can add a migration or edit the schema.
    root = mkdtempSync(path.join(tmpdir(), "rsc-migrate-"));
    cpSync(path.join(projectRoot(), "prisma"), path.join(root, "prisma"), { recursive: true });
    database = await createEmptyDatabase(provider);
  });

  afterEach(async () => {
    await db?.$disconnect();
    db = null;
    await database.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it("reports every migration pending on a fresh database, applies them once, then nothing", async () => {
    const all = localMigrations();
    expect(all.length).toBeGreaterThan(0);
    const before = await migrationStatus(database.url, root);
    expect(before.upToDate).toBe(false);
    expect(before.unappliedMigrations).toEqual(all);

    expect((await deployMigrations(database.url, root)).appliedMigrationNames).toEqual(all);
    expect((await deployMigrations(database.url, root)).appliedMigrationNames).toEqual([]);

    const after = await migrationStatus(database.url, root);
    expect(after.upToDate).toBe(true);
    expect(after.unappliedMigrations).toEqual([]);
    expect(after.failedMigrations).toEqual([]);
  });

  it("reports a migration added after the last deploy as pending", async () => {
    await deployMigrations(database.url, root);
    const added = "29991231000000_added_table";
    mkdirSync(path.join(paths().migrationsDir, added));
    writeFileSync(
      path.join(paths().migrationsDir, added, "migration.sql"),
      `CREATE TABLE "AddedProbe" ("id" INTEGER);\n`,
    );

    const status = await migrationStatus(database.url, root);
    expect(status.upToDate).toBe(false);
    expect(status.unappliedMigrations).toEqual([added]);
    expect((await deployMigrations(database.url, root)).appliedMigrationNames).toEqual([added]);
    expect(await tableExists("AddedProbe")).toBe(true);
  });

  it("detects a model the migrations lack, and a migration created for it ends the drift", async () => {
    appendFileSync(paths().schemaPath, "\nmodel DriftProbe {\n  id Int @id\n}\n");
    const drift = await checkDrift(provider, shadowServer, root).catch((e: unknown) => e);
    expect(drift).toBeInstanceOf(DriftError);
    expect((drift as DriftError).script).toContain("DriftProbe");

    const created = await createMigration({ provider, name: "drift probe", serverUrl: shadowServer, root });
    expect(created?.migrationName).toMatch(/^\d{14}_drift_probe$/);
    await expect(checkDrift(provider, shadowServer, root)).resolves.toBeUndefined();
  });

  it("rolls a failing migration back and names it", async () => {
    await deployMigrations(database.url, root);
    mkdirSync(path.join(paths().migrationsDir, BROKEN));
    writeFileSync(
      path.join(paths().migrationsDir, BROKEN, "migration.sql"),
      `CREATE TABLE "BrokenProbe" ("id" INTEGER);\nINSERT INTO "NoSuchTable" ("id") VALUES (1);\n`,
    );

    const failure = await deployMigrations(database.url, root).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).message).toContain(BROKEN);
    expect(await tableExists("BrokenProbe")).toBe(false);

    const status = await migrationStatus(database.url, root);
    expect(status.upToDate).toBe(false);
    expect(status.failedMigrations).toEqual([BROKEN]);
  });
});
