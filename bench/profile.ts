/**
 * `npm run bench:profile`: where a first execution's CPU time goes. Starts the built app under
 * `node --cpu-prof` (workers off, fresh database), drives first executions (fresh key each, autocannon) at
 * the given concurrency, stops the server so V8 writes the profile, then prints self time by category for
 * the measured window (bench/lib/cpu-profile.ts). `--file <x.cpuprofile>` only summarises an existing profile.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { runLoad } from "./alone/load";
import { SCENARIOS } from "./alone/scenarios";
import { startSubject } from "./alone/subject";
import { type CpuProfile, type ProfileSummary, summarizeProfile } from "./lib/cpu-profile";
import { ensureBuild } from "./lib/instances";
import { fmt, table } from "./run/report";

const USAGE = `npm run bench:profile -- [--scenario first|replay|read|floor|unsafe] [--db sqlite|postgres] [--seconds 6] [--warmup 3] [--connections 16]
  [--dist-dir .next-bench] [--first-port 3950] [--out-dir /tmp/retry-safe-profiles]
  or: npm run bench:profile -- --file <x.cpuprofile> [--window-ms <ms before the end>]`;

const schema = z.object({
  db: z.enum(["sqlite", "postgres"]).default("sqlite"),
  /** Which scenario's load is profiled (first executions by default). */
  scenario: z.enum(["floor", "read", "replay", "first", "unsafe"]).default("first"),
  seconds: z.coerce.number().int().min(1).default(6),
  warmup: z.coerce.number().int().min(0).default(3),
  connections: z.coerce.number().int().min(1).max(256).default(16),
  distDir: z.string().min(1).default(".next-bench"),
  firstPort: z.coerce.number().int().min(1024).default(3950),
  outDir: z.string().min(1).default("/tmp/retry-safe-profiles"),
  file: z.string().min(1).optional(),
  windowMs: z.coerce.number().int().min(1).optional(),
  help: z.boolean().default(false),
});

function print(summary: ProfileSummary, title: string): void {
  console.log(`\n${title}: ${fmt(summary.totalMs, 0)} ms of samples\n`);
  console.log(
    table(
      ["category (self time)", "ms", "%"],
      summary.categories.map((c) => [c.name, fmt(c.ms, 0), fmt(c.share * 100, 1)]),
    ),
  );
  console.log(
    `\n${table(
      ["top functions (self time)", "from", "category", "%"],
      summary.top.map((f) => [f.fn, f.where.slice(-70), f.category.split(" (")[0] ?? "", fmt(f.share * 100, 1)]),
    )}`,
  );
}

async function profileScenario(config: z.output<typeof schema>): Promise<void> {
  ensureBuild(config.distDir, { log: console.log });
  const dir = path.join(config.outDir, `${config.db}-${Date.now().toString(36)}`);
  mkdirSync(dir, { recursive: true });
  const subject = await startSubject(
    { name: "profiled", root: undefined, distDir: config.distDir },
    config.db,
    config.firstPort,
    {
      shoppers: 1,
      replayKeys: config.scenario === "replay" || config.scenario === "read" ? 64 : 1,
      nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
    },
  );
  const scenario = SCENARIOS[config.scenario];
  let loadEnd = 0;
  let stopStart = 0;
  try {
    if (config.warmup > 0)
      await runLoad(subject, scenario, { connections: config.connections, seconds: config.warmup });
    const load = await runLoad(subject, scenario, { connections: config.connections, seconds: config.seconds });
    loadEnd = performance.now();
    console.log(
      `${config.scenario} at c=${config.connections} on ${config.db}: ${load.perSecond} req/s, p50 ${load.latency.p50} ms` +
        (load.unexpected + load.errors > 0 ? `, UNEXPECTED ${load.unexpected} / errors ${load.errors}` : ""),
    );
  } finally {
    stopStart = performance.now();
    // SIGTERM: the server exits and V8 writes the profile on the way out.
    await subject.cluster.close();
  }
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}: did the server exit cleanly?`);
  for (const file of files) {
    const full = path.join(dir, file);
    const profile = JSON.parse(readFileSync(full, "utf8")) as CpuProfile;
    // The measured window: the load's last seconds, less half a second at each end, before the shutdown.
    const summary = summarizeProfile(profile, {
      lengthMs: config.seconds * 1000 - 1000,
      fromEndMs: stopStart - loadEnd + 500,
    });
    print(summary, `${full} (the last ${config.seconds - 1} s of the ${config.scenario} load)`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      db: { type: "string" },
      scenario: { type: "string" },
      seconds: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      "dist-dir": { type: "string" },
      "first-port": { type: "string" },
      "out-dir": { type: "string" },
      file: { type: "string" },
      "window-ms": { type: "string" },
      help: { type: "boolean" },
    },
  });
  const config = schema.parse({
    ...values,
    distDir: values["dist-dir"],
    firstPort: values["first-port"],
    outDir: values["out-dir"],
    windowMs: values["window-ms"],
  });
  if (config.help) return console.log(USAGE);
  if (config.file) {
    const profile = JSON.parse(readFileSync(config.file, "utf8")) as CpuProfile;
    return print(summarizeProfile(profile, { lengthMs: config.windowMs }), config.file);
  }
  await profileScenario(config);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("[bench:profile] failed:", error);
    process.exit(1);
  },
);
