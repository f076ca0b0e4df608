/**
 * `npm run demo:cluster [-- --ports 3000,3001]`: the multi-instance demo without installing PostgreSQL.
 * Builds the app if there is no build, starts an embedded PostgreSQL, migrates and seeds it, then runs two
 * `next start` instances on one database and prints their URLs. Ctrl-C stops the instances, then the
 * database (its temporary data directory goes with it).
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { ensureBuild, setupDatabase } from "../bench/lib/instances";
import { redactUrl } from "./migrations/paths";
import { demoSecrets, type NextInstance, startNextInstance } from "./next-instance";
import { startEmbeddedPostgres } from "./postgres/embedded";

const DATABASE = "shop";

const port = z.coerce.number<string>().int().min(1).max(65535);
const ports = z
  .string()
  .transform((value) => value.split(",").map((part) => part.trim()))
  .pipe(z.tuple([port, port]))
  .refine(([a, b]) => a !== b, "the two ports must differ");

const { values } = parseArgs({ options: { ports: { type: "string", default: "3000,3001" } } });
const parsedPorts = ports.safeParse(values.ports);
if (!parsedPorts.success) {
  console.error(
    `--ports must be two different ports, e.g. --ports 3000,3001 (${parsedPorts.error.issues[0]?.message})`,
  );
  process.exit(2);
}

const log = (line: string) => console.log(`[demo:cluster] ${line}`);

ensureBuild(".next", { log });
const database = await startEmbeddedPostgres();
log(`embedded PostgreSQL ${database.version} started in ${database.startupMs} ms`);
const instances: NextInstance[] = [];
let stopping = false;
const stopAll = async (code: number) => {
  if (stopping) return;
  stopping = true;
  log("stopping the instances and the database ...");
  await Promise.all(instances.map((instance) => instance.stop()));
  await database.stop();
  log("stopped");
  process.exit(code);
};
// A Ctrl-C in the terminal reaches the instances too; the database is stopped here once they are gone.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stopAll(0));

try {
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${DATABASE}"`);
  await admin.end();
  const url = new URL(database.url);
  url.pathname = `/${DATABASE}`;
  const databaseUrl = url.toString();
  setupDatabase(databaseUrl);
  log(`database ${redactUrl(databaseUrl)} migrated and seeded`);

  const names = ["A", "B"] as const;
  const secrets = demoSecrets();
  const results = await Promise.allSettled(
    parsedPorts.data.map((listenPort, i) =>
      startNextInstance(names[i] ?? "?", listenPort, { ...secrets, DATABASE_URL: databaseUrl }),
    ),
  );
  const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  instances.push(...started);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  for (const [i, instance] of started.entries()) {
    instance.child.once("exit", (code, signal) => {
      if (stopping) return;
      log(`instance ${names[i]} ended (${signal ?? `exit ${code}`}); stopping everything`);
      void stopAll(1);
    });
  }
  log("two instances, one PostgreSQL database, demo faults on:");
  for (const [i, { origin }] of started.entries()) log(`  ${names[i]}: ${origin}   (admin: ${origin}/admin)`);
  log(`admin password for this run: ${secrets.ADMIN_PASSWORD}`);
  log("pay on one, retry or look on the other; Ctrl-C stops everything");
} catch (error) {
  console.error(`[demo:cluster] ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}
