/**
 * `tsx scripts/with-test-postgres.ts <command> [args...]`: runs a command (a benchmark) with
 * TEST_POSTGRES_URL pointing at the run's PostgreSQL server, chosen like the tests choose it (an embedded
 * server when none is configured or answering), and stops that server when the command ends, however it ends.
 */
import { spawn } from "node:child_process";
import { acquireTestPostgres } from "./postgres/test-server";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: tsx scripts/with-test-postgres.ts <command> [args...]");
  process.exit(2);
}

const server = await acquireTestPostgres();
console.log(`[with-test-postgres] PostgreSQL: ${server.description}`);
const child = spawn(command, args, {
  stdio: "inherit",
  env: { ...process.env, TEST_POSTGRES_URL: server.url },
});
// A Ctrl-C reaches the whole process group: the command ends on its own, then the server is stopped here.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => child.kill(signal));
}
const code = await new Promise<number>((resolve) => {
  child.once("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
  child.once("error", (error) => {
    console.error(`[${command}] ${error.message}`);
    resolve(127);
  });
});
await server.stop();
process.exit(code);
