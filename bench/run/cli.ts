/** The bench's command line: flags, each also readable as a BENCH_<NAME> environment variable (src/env.ts). */
import { parseArgs } from "node:util";
import { env } from "@/env";
import { defaultPolicy, type RetryPolicy } from "../lib/retrying-client";

export const USAGE = `npm run bench -- [--intents 2000] [--copies 5] [--concurrency 64] [--fault-share 0.1]
  [--declined-share 0.05] [--first-exec 1000] [--latency-samples 300] [--max-attempts 10]
  [--max-storm-seconds 600] [--only all|sqlite|postgres] [--dist-dir .next-bench] [--first-port 3401]
  [--rebuild] [--keep]   (each also as BENCH_<NAME> env, e.g. BENCH_INTENTS=200)`;

export type BenchConfig = {
  intents: number;
  copies: number;
  concurrency: number;
  faultShare: number;
  declinedShare: number;
  firstExec: number;
  latencySamples: number;
  maxStormMs: number;
  distDir: string;
  firstPort: number;
  only: string;
  leaseMs: number;
  recoveryIntervalMs: number;
};

export type BenchRun = { config: BenchConfig; policy: RetryPolicy; rebuild: boolean; keep: boolean };

/** The run the arguments ask for, or "help"; throws on a flag out of range. */
export function parseCli(args: string[]): BenchRun | "help" {
  const { values: flags } = parseArgs({
    args,
    options: {
      intents: { type: "string", default: String(env.BENCH_INTENTS) },
      copies: { type: "string", default: String(env.BENCH_COPIES) },
      concurrency: { type: "string", default: String(env.BENCH_CONCURRENCY) },
      "fault-share": { type: "string", default: String(env.BENCH_FAULT_SHARE) },
      "declined-share": { type: "string", default: String(env.BENCH_DECLINED_SHARE) },
      "first-exec": { type: "string", default: String(env.BENCH_FIRST_EXEC) },
      "latency-samples": { type: "string", default: String(env.BENCH_LATENCY_SAMPLES) },
      "max-attempts": { type: "string", default: String(env.BENCH_MAX_ATTEMPTS ?? defaultPolicy.maxAttempts) },
      "max-storm-seconds": { type: "string", default: String(env.BENCH_MAX_STORM_SECONDS) },
      only: { type: "string", default: env.BENCH_ONLY },
      "dist-dir": { type: "string", default: env.BENCH_DIST_DIR },
      "first-port": { type: "string", default: String(env.BENCH_FIRST_PORT) },
      rebuild: { type: "boolean", default: env.BENCH_REBUILD },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (flags.help) return "help";
  const int = (name: keyof typeof flags, min: number): number => {
    const value = Number(flags[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return value;
  };
  const share = (name: keyof typeof flags): number => {
    const value = Number(flags[name]);
    if (!(value >= 0 && value <= 1)) throw new Error(`--${name} must be within 0..1`);
    return value;
  };

  const config: BenchConfig = {
    intents: int("intents", 1),
    copies: int("copies", 1),
    concurrency: int("concurrency", 1),
    faultShare: share("fault-share"),
    declinedShare: share("declined-share"),
    firstExec: int("first-exec", 2),
    latencySamples: int("latency-samples", 1),
    maxStormMs: int("max-storm-seconds", 10) * 1000,
    distDir: String(flags["dist-dir"]),
    firstPort: int("first-port", 1024),
    only: String(flags.only),
    leaseMs: 2000,
    recoveryIntervalMs: 500,
  };
  if (!["all", "sqlite", "postgres"].includes(config.only)) throw new Error("--only must be all, sqlite or postgres");
  const policy: RetryPolicy = { ...defaultPolicy, maxAttempts: int("max-attempts", 1) };
  return { config, policy, rebuild: flags.rebuild, keep: flags.keep };
}
