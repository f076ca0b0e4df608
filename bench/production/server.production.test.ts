import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env as config } from "@/env";
import { createBenchDatabase } from "../lib/databases";
import { AppInstance, BENCH_ADMIN_PASSWORD, ensureBuild, instanceEnv, ROOT } from "../lib/instances";

/**
 * The built app as `npm start` runs it (`next start`, NODE_ENV=production), one real process per case:
 * refusing the development secrets, the Secure cookie default and its logged opt-out, and the request
 * body limit measured on the server process's own memory.
 */
const DIST_DIR = config.BENCH_DIST_DIR;
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
const FIRST_PORT = config.PRODUCTION_TEST_PORT;
const SECRET = "production-test-session-secret-0123456789abcdef";

let databaseUrl = "";
let dropDatabase: () => Promise<void> = async () => {};
const logDir = mkdtempSync(path.join(tmpdir(), "rsc-prod-"));

beforeAll(async () => {
  ensureBuild(DIST_DIR, { rebuild: config.BENCH_REBUILD });
  const database = await createBenchDatabase("sqlite", "prod");
  databaseUrl = database.url;
  dropDatabase = () => database.drop();
});
afterAll(async () => {
  await dropDatabase();
  rmSync(logDir, { recursive: true, force: true });
});

/** `next start` with exactly the given configuration (no secrets unless passed), until it exits. */
function startRaw(port: number, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  // Passed through to the child as they are (not configuration of ours): it runs with nothing else inherited.
  const passthrough = Object.fromEntries(
    ["PATH", "HOME", "TMPDIR"].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...passthrough,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_DIST_DIR: DIST_DIR,
      DATABASE_URL: databaseUrl,
      ...env,
    },
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

const exitCodeOf = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((done) => child.once("exit", done));

describe("production start refuses the development secrets", () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ["no SESSION_SECRET and no ADMIN_PASSWORD", {}, /SESSION_SECRET[\s\S]*ADMIN_PASSWORD/],
    ["no SESSION_SECRET", { ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD }, /SESSION_SECRET is missing.*openssl rand/],
    [
      "the development ADMIN_PASSWORD",
      { SESSION_SECRET: SECRET, ADMIN_PASSWORD: "admin" },
      /ADMIN_PASSWORD is missing/,
    ],
  ];
  it.each(cases.map((c, i) => [...c, FIRST_PORT + i] as const))(
    "%s: exits non-zero before serving, naming the variable",
    async (_name, env, message, port) => {
      const server = startRaw(port, env);
      const exited = exitCodeOf(server.child);
      // Knock on the port until the process is gone: not one request may be answered.
      const answered: number[] = [];
      let done = false;
      void exited.then(() => {
        done = true;
      });
      while (!done) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/trpc/catalog.list`, {
            signal: AbortSignal.timeout(1_000),
          });
          answered.push(res.status);
        } catch {
          // not listening, or refused while exiting
        }
        await Promise.race([exited, sleep(50)]);
      }
      expect(await exited).not.toBe(0);
      expect(server.output()).toMatch(message);
      expect(server.output()).toContain("refusing to start in production");
      expect(answered.filter((s) => s === 200)).toEqual([]);
    },
  );
});

describe("production server with its own secrets", () => {
  const started: AppInstance[] = [];
  afterAll(async () => {
    for (const instance of started) await instance.stop();
  });
  /** An instance with the bench's settings; `without` names variables left unset (their defaults apply). */
  const start = async (name: string, port: number, env: Record<string, string>, without: string[] = []) => {
    const settings: Record<string, string> = { ...instanceEnv(env), DATABASE_URL: databaseUrl };
    for (const unset of without) delete settings[unset];
    const instance = new AppInstance(name, port, settings, DIST_DIR, path.join(logDir, `${name}.log`));
    started.push(instance);
    await instance.start();
    return instance;
  };
  const signInCookie = async (origin: string): Promise<string> => {
    const res = await fetch(`${origin}/api/trpc/session.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: `prod-${Date.now().toString(36)}` }),
    });
    expect(res.status).toBe(200);
    return res.headers.get("set-cookie") ?? "";
  };

  it("marks the session cookie Secure by default; COOKIE_SECURE=off drops it and says so in the log", async () => {
    const secure = await start("secure", FIRST_PORT + 3, {}, ["COOKIE_SECURE"]);
    expect(await signInCookie(secure.origin)).toMatch(/;\s*Secure/i);
    await secure.stop();

    const plain = await start("plain", FIRST_PORT + 4, { COOKIE_SECURE: "off" });
    expect(await signInCookie(plain.origin)).not.toMatch(/;\s*Secure/i);
    expect(readFileSync(path.join(logDir, "plain.log"), "utf8")).toContain("COOKIE_SECURE=off");
  });

  it("serves the guided tour at /try only with demo faults on (off by default in production)", async () => {
    const off = await start("tour-off", FIRST_PORT + 6, {}, ["DEMO_FAULTS"]);
    expect((await fetch(`${off.origin}/try`)).status).toBe(404);
    await off.stop();

    const on = await start("tour-on", FIRST_PORT + 7, { DEMO_FAULTS: "on" });
    const page = await fetch(`${on.origin}/try`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Guided tour");
  });

  it("answers a 200 MB chunked upload with 413 while its memory grows by less than 64 MB", async () => {
    const server = await start("upload", FIRST_PORT + 5, {});
    const pid = server.pid;
    if (!pid) throw new Error("no server process");
    const rssKb = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    const TOTAL = 200 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, "a");
    // Like a hostile client: the whole body goes out whatever the server answers, until the server hangs up.
    const upload = (total: number) =>
      new Promise<{ status: number; body: string; sentBytes: number }>((resolve, reject) => {
        let sent = 0;
        let answer: { status: number; body: string } | null = null;
        let finished = false;
        const settle = () => {
          if (answer && finished) resolve({ ...answer, sentBytes: sent });
        };
        const req = http.request(
          `${server.origin}/api/trpc/checkout.placeOrder`,
          { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } },
          (res) => {
            let text = "";
            res.on("data", (c: Buffer) => {
              text += c.toString();
            });
            res.on("end", () => {
              answer = { status: res.statusCode ?? 0, body: text };
              settle();
            });
          },
        );
        const stop = () => {
          finished = true;
          settle();
        };
        req.on("error", (error) => (answer ? stop() : reject(error)));
        req.on("close", stop);
        const pump = () => {
          while (!req.destroyed && sent < total) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          if (!req.destroyed) req.end(stop);
        };
        pump();
      });
    // Warm the same path (a small over-limit chunked body) so code loading is not counted as the upload's.
    // The server hangs up on a body it refused; a client that already sent everything may see the reset
    // before the 413 (lost from its receive buffer), which is fine for a warm-up.
    await upload(2 * 1024 * 1024).catch((error: unknown) => {
      if (!(error instanceof Error && "code" in error && error.code === "ECONNRESET")) throw error;
    });
    const before = rssKb();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssKb());
    }, 20);
    const { status, body, sentBytes } = await upload(TOTAL);
    clearInterval(sampler);
    peak = Math.max(peak, rssKb());
    const grownMb = (peak - before) / 1024;
    console.log(
      `[upload] sent ${Math.round(sentBytes / 2 ** 20)} MB, RSS ${before} kB -> peak ${peak} kB (+${grownMb.toFixed(1)} MB)`,
    );
    expect(status).toBe(413);
    expect(JSON.parse(body).error.data).toMatchObject({ reason: "PAYLOAD_TOO_LARGE", httpStatus: 413 });
    expect(grownMb).toBeLessThan(64);
  });
});
