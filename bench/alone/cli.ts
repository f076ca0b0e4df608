/** `npm run bench:alone` flags, parsed with node:util parseArgs and checked with zod. */
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { SCENARIO_NAMES } from "./scenarios";

export const USAGE = `npm run bench:alone -- [--duration 8] [--warmup 2] [--concurrency 1,16] [--only all|sqlite|postgres]
  [--scenarios ${SCENARIO_NAMES.join(",")}] [--shoppers 1] [--replay-keys 64]
  [--dist-dir .next-bench] [--rebuild] [--baseline <checkout dir>] [--baseline-dist-dir .next]
  [--first-port 3900] [--settle-ms 11000] [--keep]`;

const int = (min: number) => z.coerce.number().int().min(min);
const list = <T extends z.ZodType>(item: T) =>
  z.string().transform((s, ctx) => {
    const parsed = z
      .array(item)
      .min(1)
      .safeParse(s.split(",").map((v) => v.trim()));
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: parsed.error.issues.map((i) => i.message).join("; ") });
      return z.NEVER;
    }
    return parsed.data as z.output<T>[];
  });

const schema = z.object({
  /** Seconds each scenario is measured for (per build, per concurrency). */
  duration: int(1).default(8),
  /** Seconds of unmeasured load per scenario and build before the first measurement (JIT, pools, caches). */
  warmup: int(0).default(2),
  concurrency: list(z.coerce.number().int().min(1).max(256)).default([1, 16]),
  only: z.enum(["all", "sqlite", "postgres"]).default("all"),
  scenarios: list(z.enum(SCENARIO_NAMES)).default([...SCENARIO_NAMES]),
  /** Signed-in shoppers the requests are spread over (round robin). */
  shoppers: int(1).default(1),
  /** Completed keys the replay scenario cycles through (and orders the read scenario reads). */
  replayKeys: int(1).default(64),
  distDir: z.string().min(1).default(".next-bench"),
  rebuild: z.boolean().default(false),
  /** Another checkout (its own node_modules and build) measured side by side, e.g. the commit before a change. */
  baseline: z
    .string()
    .min(1)
    .transform((dir) => path.resolve(dir))
    .optional(),
  baselineDistDir: z.string().min(1).default(".next"),
  firstPort: int(1024).default(3900),
  /**
   * PostgreSQL publishes a backend's statistics up to 10 s after it goes idle (PGSTAT_IDLE_INTERVAL), so
   * the commit counters are read this long after the load stops.
   */
  settleMs: int(0).default(11_000),
  keep: z.boolean().default(false),
});

export type AloneConfig = z.output<typeof schema>;

/** The run the arguments ask for, or "help"; throws with every invalid flag named. */
export function parseCli(args: string[]): AloneConfig | "help" {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string" },
      warmup: { type: "string" },
      concurrency: { type: "string" },
      only: { type: "string" },
      scenarios: { type: "string" },
      shoppers: { type: "string" },
      "replay-keys": { type: "string" },
      "dist-dir": { type: "string" },
      rebuild: { type: "boolean" },
      baseline: { type: "string" },
      "baseline-dist-dir": { type: "string" },
      "first-port": { type: "string" },
      "settle-ms": { type: "string" },
      keep: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const result = schema.safeParse({
    duration: values.duration,
    warmup: values.warmup,
    concurrency: values.concurrency,
    only: values.only,
    scenarios: values.scenarios,
    shoppers: values.shoppers,
    replayKeys: values["replay-keys"],
    distDir: values["dist-dir"],
    rebuild: values.rebuild,
    baseline: values.baseline,
    baselineDistDir: values["baseline-dist-dir"],
    firstPort: values["first-port"],
    settleMs: values["settle-ms"],
    keep: values.keep,
  });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  --${String(i.path[0] ?? "?")}: ${i.message}`);
    throw new Error(`invalid flags:\n${lines.join("\n")}\n${USAGE}`);
  }
  return result.data;
}
