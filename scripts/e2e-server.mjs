// Starts the built app for the browser specs on a fresh database: removes the SQLite file of the last
// run, applies migrations + seed, then `next start`. Exits with the server.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

const url = process.env.DATABASE_URL ?? "file:./data/e2e.db";
if (url.startsWith("file:")) {
  const file = url.slice("file:".length);
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
}
const setup = spawnSync("npx", ["tsx", "scripts/db-setup.ts"], { stdio: "inherit", env: process.env });
if (setup.status !== 0) process.exit(setup.status ?? 1);
const server = spawn("npx", ["next", "start", "-p", process.env.PORT ?? "3210", "-H", "127.0.0.1"], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
