/**
 * `npm run bench`: the duplicate-storm benchmark of issue 6. Starts the built app itself (one instance on
 * SQLite, two on one PostgreSQL database), storms checkout.placeOrder and the unsafe baseline with
 * duplicated, faulted, retried requests, then prints the figures and writes bench/results/<time>.json.
 * Flags (or BENCH_* env): see `npm run bench -- --help`; the scenarios live in bench/run/.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Cluster } from "./lib/cluster";
import { ensureBuild, ROOT } from "./lib/instances";
import type { Bench } from "./run/bench";
import { type BenchRun, parseCli, USAGE } from "./run/cli";
import { render } from "./run/report";
import type { TopologyReport } from "./run/report-types";
import { runTopology } from "./run/topology";
import { verdicts } from "./run/verdicts";

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(run: BenchRun): Promise<void> {
  const { config, policy } = run;
  /** The cluster being measured, so an interrupted run still stops its servers and drops its database. */
  let active: Cluster | null = null;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      const cluster = active;
      active = null;
      void (cluster ? cluster.close({ keepDatabase: run.keep }) : Promise.resolve()).finally(() => process.exit(130));
    });
  }
  const bench: Bench = { config, policy, keep: run.keep, log, setActive: (cluster) => (active = cluster) };
  const started = new Date();
  ensureBuild(config.distDir, { rebuild: run.rebuild, log });
  const reports: TopologyReport[] = [];
  if (config.only !== "postgres") reports.push(await runTopology(bench, "sqlite", 1, config.firstPort));
  if (config.only !== "sqlite") reports.push(await runTopology(bench, "postgres", 2, config.firstPort + 1));
  const checks = verdicts(reports);
  const command = `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim();
  console.log(`\n${command}\n${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}`);
  console.log(
    `lease ${config.leaseMs} ms, recovery every ${config.recoveryIntervalMs} ms, faults on ${config.faultShare * 100}% of copies (first attempt), declined cards ${config.declinedShare * 100}%\n`,
  );
  console.log(render(reports));
  console.log("\ntargets:");
  for (const c of checks) console.log(`  [${c.met ? "met" : "NOT met"}] ${c.target}: ${c.detail}`);
  const dir = path.join(ROOT, "bench/results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${started.toISOString().replaceAll(":", "-").replace(/\..+$/, "")}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: started.toISOString(), command, machine: { cores: os.cpus().length, node: process.version }, config, policy, reports, targets: checks }, null, 2)}\n`,
  );
  console.log(`\nwritten ${path.relative(ROOT, file)}`);
}

const run = parseCli(process.argv.slice(2));
if (run === "help") {
  console.log(USAGE);
  process.exit(0);
}
main(run).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("[bench] failed:", error);
    process.exit(1);
  },
);
