/**
 * `npm run demo:cluster [-- --ports 3000,3001]`: the multi-instance demo without installing PostgreSQL.
 * Builds the app if there is no build, starts an embedded PostgreSQL, migrates and seeds it, then runs two
 * `next start` instances on one database and prints their URLs. Ctrl-C stops the instances, then the
 * database (its temporary data directory goes with it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { ensureBuild, ROOT, setupDatabase } from "../bench/lib/instances";
import { redactUrl } from "./migrations/engine";
import { startEmbeddedPostgres } from "./postgres/embedded";

const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
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
const [portA, portB] = parsedPorts.data;

const log = (line: string) => console.log(`[demo:cluster] ${line}`);

async function waitReady(origin: string, child: ChildProcess): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 60_000; await sleep(200)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${origin} exited during start-up`);
    const ok = await fetch(`${origin}/api/trpc/catalog.list`, { signal: AbortSignal.timeout(2_000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
  }
  throw new Error(`${origin} not ready after 60 s`);
}

function startInstance(name: string, listenPort: number, databaseUrl: string): ChildProcess {
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(listenPort), "-H", "127.0.0.1"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      DEMO_FAULTS: "on",
      PORT: String(listenPort),
    },
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", (line) => console.log(`[${name}] ${line}`));
  }
  return child;
}

const stopInstance = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

ensureBuild(".next", { log });
const database = await startEmbeddedPostgres();
log(`embedded PostgreSQL ${database.version} started in ${database.startupMs} ms`);
const instances: ChildProcess[] = [];
let stopping = false;
const stopAll = async (code: number) => {
  if (stopping) return;
  stopping = true;
  log("stopping the instances and the database ...");
  await Promise.all(instances.map(stopInstance));
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

  const started = [
    { name: "A", port: portA },
    { name: "B", port: portB },
  ].map(({ name, port: listenPort }) => {
    const child = startInstance(name, listenPort, databaseUrl);
    instances.push(child);
    child.once("exit", (code, signal) => {
      if (stopping) return;
      log(`instance ${name} ended (${signal ?? `exit ${code}`}); stopping everything`);
      void stopAll(1);
    });
    return { name, origin: `http://127.0.0.1:${listenPort}`, child };
  });
  await Promise.all(started.map(({ origin, child }) => waitReady(origin, child)));
  log("two instances, one PostgreSQL database, demo faults on:");
  for (const { name, origin } of started) log(`  ${name}: ${origin}   (admin: ${origin}/admin)`);
  log("pay on one, retry or look on the other; Ctrl-C stops everything");
} catch (error) {
  console.error(`[demo:cluster] ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}
