import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const ROOT = path.resolve(import.meta.dirname, "../..");
/** A checkout's own Next.js (another checkout, e.g. a baseline build, runs with its own node_modules). */
const nextBin = (root: string) => path.join(root, "node_modules/next/dist/bin/next");

/** Not a development default, which a production server refuses to start with. */
export const BENCH_ADMIN_PASSWORD = "bench-admin-password";

/**
 * Settings every bench and chaos instance runs with: faults on, a short lease, a busy recovery worker,
 * secrets of its own (production refuses the development defaults), plain http (the logged opt-out).
 */
export const instanceEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  DEMO_FAULTS: "on",
  IDEMPOTENCY_LEASE_MS: "2000",
  RECOVERY_INTERVAL_MS: "500",
  SESSION_SECRET: "bench-session-secret-0123456789abcdef-0123456789",
  ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
  COOKIE_SECURE: "off",
  ...overrides,
});

const newestMtime = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
};

/**
 * Builds the app into its own dist dir unless a build is already there. `next build` rewrites
 * tsconfig.json and next-env.d.ts for the dist dir it builds; both are put back so the tree stays as it was.
 */
export function ensureBuild(
  distDir: string,
  options: { rebuild?: boolean; log?: (line: string) => void; root?: string } = {},
): void {
  const log = options.log ?? console.log;
  const root = options.root ?? ROOT;
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (existsSync(buildId) && !options.rebuild) {
    if (newestMtime(path.join(root, "src")) > statSync(buildId).mtimeMs) {
      log(`[build] note: src/ changed after the build in ${distDir}; pass --rebuild (BENCH_REBUILD=1) to rebuild`);
    }
    return;
  }
  const kept = ["tsconfig.json", "next-env.d.ts"].map((file) => {
    const full = path.join(root, file);
    return { full, text: existsSync(full) ? readFileSync(full, "utf8") : null };
  });
  log(`[build] next build into ${path.join(root, distDir)} ...`);
  const started = Date.now();
  const build = (...args: string[]) =>
    spawnSync(process.execPath, [nextBin(root), "build", ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
      encoding: "utf8",
    });
  try {
    let result = build();
    if (result.status !== 0 && result.stdout.includes("Failed to type check")) {
      // Type errors are the typecheck step's verdict; a file someone is editing elsewhere in the tree should
      // not stop a benchmark of the server. Compile and generate without Next's type-check pass.
      log("[build] type check failed (see `npm run typecheck`); building without it");
      result = build("--experimental-build-mode", "compile");
      if (result.status === 0) result = build("--experimental-build-mode", "generate");
    }
    if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    for (const { full, text } of kept) {
      if (text !== null && readFileSync(full, "utf8") !== text) writeFileSync(full, text);
    }
  }
  log(`[build] done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Runs the Prisma migrations and the catalog seed against a fresh database (the checkout's own script). */
export function setupDatabase(databaseUrl: string, root: string = ROOT): void {
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/db-setup.ts"],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production" },
      encoding: "utf8",
    },
  );
  if (result.status !== 0) throw new Error(`db-setup failed:\n${result.stdout}\n${result.stderr}`);
}

export type RssSample = { at: number; rssKb: number; phase: string };

/**
 * One `next start` process in its own process group, so SIGKILL of the group takes next-server down
 * with whatever it spawned, like a machine losing power.
 */
export class AppInstance {
  private child: ChildProcess | null = null;
  private sampler: NodeJS.Timeout | null = null;
  /** Highest VmHWM seen over all lives of this instance (a restart starts a new process). */
  peakKb = 0;
  readonly samples: RssSample[] = [];
  phase = "start";
  starts = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly distDir: string,
    private readonly logFile: string,
    /** The checkout whose build this instance runs (default: this one). */
    private readonly root: string = ROOT,
    /** Flags for node itself, e.g. --cpu-prof (which NODE_OPTIONS does not accept). */
    private readonly nodeArgs: string[] = [],
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  async start(): Promise<void> {
    const out = openSync(this.logFile, "a");
    this.child = spawn(
      process.execPath,
      [...this.nodeArgs, nextBin(this.root), "start", "-p", String(this.port), "-H", "127.0.0.1"],
      {
        cwd: this.root,
        detached: true,
        stdio: ["ignore", out, out],
        env: { ...process.env, ...this.env, PORT: String(this.port), NEXT_DIST_DIR: this.distDir },
      },
    );
    this.starts++;
    await this.waitReady();
    this.sampler ??= setInterval(() => this.sample(), 250);
  }

  private async waitReady(timeoutMs = 30_000): Promise<void> {
    const started = Date.now();
    const child = this.child;
    while (Date.now() - started < timeoutMs) {
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${this.name} exited during start-up; see ${this.logFile}`);
      }
      try {
        const res = await fetch(`${this.origin}/api/trpc/catalog.list`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms; see ${this.logFile}`);
  }

  /** Reads VmRSS/VmHWM of every live process of the group (next start runs next-server in-process today). */
  sample(): void {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    let rss = 0;
    for (const pid of groupPids(child.pid)) {
      const status = readStatus(pid);
      rss += status.rssKb;
      this.peakKb = Math.max(this.peakKb, status.hwmKb);
    }
    if (rss > 0) this.samples.push({ at: Date.now(), rssKb: rss, phase: this.phase });
  }

  /**
   * CPU time (user + system, all threads) the instance's live processes have used so far, in ms: the
   * difference over a load is what the load cost the server, whatever else the machine was doing then.
   */
  cpuMs(): number {
    const child = this.child;
    if (!child?.pid) return 0;
    let ticks = 0;
    for (const pid of groupPids(child.pid)) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        // After "pid (comm) ": state is field 0, utime 11, stime 12 (proc(5) numbers them 3, 14 and 15).
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // the process ended while we looked
      }
    }
    return (ticks * 1000) / clockTicksPerSecond();
  }

  /** How many descriptors the instance's processes hold open on this file (its database connections). */
  openHandlesOn(file: string): number {
    const child = this.child;
    if (!child?.pid) return 0;
    let handles = 0;
    for (const pid of groupPids(child.pid)) {
      try {
        for (const fd of readdirSync(`/proc/${pid}/fd`)) {
          try {
            if (readlinkSync(`/proc/${pid}/fd/${fd}`) === file) handles++;
          } catch {
            // closed while we looked
          }
        }
      } catch {
        // the process ended while we looked
      }
    }
    return handles;
  }

  /** SIGKILL to the whole process group: no shutdown hooks, open transactions die with their connections. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.sample();
    const exited = exitOf(child);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await exited;
    this.child = null;
  }

  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = null;
    const child = this.child;
    if (!child?.pid) return;
    this.sample();
    const exited = exitOf(child);
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    const timedOut = await Promise.race([exited.then(() => false), sleep(5_000).then(() => true)]);
    if (timedOut) await this.kill();
    this.child = null;
  }
}

const exitOf = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));

let clockTicks: number | null = null;
/** The kernel's clock ticks per second (the unit of /proc/<pid>/stat's CPU times), asked once. */
function clockTicksPerSecond(): number {
  clockTicks ??= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  return clockTicks;
}

function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may contain spaces, so split after ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

function readStatus(pid: number): { rssKb: number; hwmKb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rssKb: kb("VmRSS"), hwmKb: kb("VmHWM") };
  } catch {
    return { rssKb: 0, hwmKb: 0 };
  }
}
