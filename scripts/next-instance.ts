/** One `next start` of the built app for the demo scripts: started, awaited until it answers, stopped. */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { ROOT } from "../bench/lib/instances";

const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

export type NextInstance = { origin: string; child: ChildProcess; stop: () => Promise<void> };

/**
 * A demo run's own secrets, shared by its instances (a session sealed by one opens on the other):
 * `next start` refuses the development defaults. Plain http on 127.0.0.1, so the cookie's Secure flag is
 * turned off (the server logs it).
 */
export const demoSecrets = (): { SESSION_SECRET: string; ADMIN_PASSWORD: string; COOKIE_SECURE: "off" } => ({
  SESSION_SECRET: randomBytes(32).toString("hex"),
  ADMIN_PASSWORD: `demo-${randomBytes(4).toString("hex")}`,
  COOKIE_SECURE: "off",
});

/**
 * Starts `next start` on 127.0.0.1:port with demo faults on and the given settings; each output line is
 * printed with the instance's name. Resolves once catalog.list answers.
 */
export async function startNextInstance(
  name: string,
  port: number,
  settings: Record<string, string>,
): Promise<NextInstance> {
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DEMO_FAULTS: "on",
      PORT: String(port),
      ...settings,
    },
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => console.log(`[${name}] ${line}`));
  }
  const origin = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  try {
    await waitReady(origin, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, child, stop };
}

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
