// Starts the built app for the browser specs on a fresh database: removes the SQLite file of the last
// run, applies migrations + seed, then `next start`. Exits with the server. Playwright sets PORT and
// DATABASE_URL (see playwright.config.ts); src/env.ts validates them.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { env } from "@/env";

if (env.DATABASE_URL.startsWith("file:")) {
  const file = env.DATABASE_URL.slice("file:".length);
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
}
const setup = spawnSync("npx", ["tsx", "scripts/db-setup.ts"], { stdio: "inherit" });
if (setup.status !== 0) process.exit(setup.status ?? 1);
const server = spawn("npx", ["next", "start", "-p", String(env.PORT), "-H", "127.0.0.1"], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
