/**
 * `npm run bench:alone`: issue 15's measurement. Each scenario (framework floor, plain read, replay, first
 * execution, unsafe baseline) is measured alone with autocannon, on SQLite and PostgreSQL, at each
 * concurrency, optionally side by side with a baseline checkout; on PostgreSQL the commits per request are
 * counted at concurrency 1. Prints the tables and writes bench/results/alone-<time>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type AloneConfig, parseCli, USAGE } from "./alone/cli";
import { type Measurement, measureKind } from "./alone/matrix";
import { renderCounters, renderCpu, renderRatios, renderThroughput, unexpectedLines } from "./alone/report";
import type { Build, Subject } from "./alone/subject";
import type { Kind } from "./lib/databases";
import { ensureBuild, ROOT } from "./lib/instances";

const log = (line: string) => console.log(`[bench:alone ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(config: AloneConfig): Promise<number> {
  let running: Subject[] = [];
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      const subjects = running;
      running = [];
      void Promise.all(subjects.map((s) => s.cluster.close({ keepDatabase: config.keep }))).finally(() =>
        process.exit(130),
      );
    });
  }
  const builds: Build[] = [{ name: "this", root: undefined, distDir: config.distDir }];
  if (config.baseline) builds.push({ name: "baseline", root: config.baseline, distDir: config.baselineDistDir });
  for (const build of builds)
    ensureBuild(build.distDir, { rebuild: config.rebuild && !build.root, log, root: build.root });
  const started = new Date();
  const loadBefore = os.loadavg().map((l) => l.toFixed(1));
  const kinds: Kind[] = config.only === "all" ? ["sqlite", "postgres"] : [config.only];
  const measurements: Measurement[] = [];
  for (const [i, kind] of kinds.entries()) {
    const run = { config, log, track: (subjects: Subject[]) => (running = subjects) };
    measurements.push(...(await measureKind(run, kind, builds, config.firstPort + i * builds.length)));
  }

  const command = `npm run bench:alone -- ${process.argv.slice(2).join(" ")}`.trim();
  const unexpected = unexpectedLines(measurements);
  console.log(`\n${command}\n${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}`);
  // Other work on the machine moves absolute figures: the load average says how quiet it was.
  const loadAfter = os.loadavg().map((l) => l.toFixed(1));
  console.log(`load average (1/5/15 min) at start ${loadBefore.join(" ")}, at end ${loadAfter.join(" ")}`);
  console.log(
    `each scenario alone for ${config.duration} s (after ${config.warmup} s of warm-up), ${config.shoppers} shopper(s), ` +
      `${config.replayKeys} completed keys; builds: ${builds.map((b) => `${b.name} = ${b.root ?? ROOT} (${b.distDir})`).join(", ")}\n`,
  );
  console.log(renderThroughput(measurements));
  console.log(`\n${renderRatios(measurements, config.baseline ? "baseline" : null)}`);
  console.log(`\n${renderCpu(measurements, config.baseline ? "baseline" : null)}`);
  const counters = renderCounters(measurements);
  if (counters) {
    console.log(
      `\n${counters}\n` +
        "durable commits: COMMIT records of transactions that wrote to the bench database (pg_walinspect), exact on a shared server;\n" +
        "WAL syncs, WAL bytes and the cluster's WAL records count the whole server: trust them only when other DBs' commits are ~0\n" +
        "(the embedded server runs with fsync=off: no WAL syncs at all there)",
    );
  }
  if (unexpected.length > 0) {
    console.log(`\n!!! UNEXPECTED ANSWERS: the figures above count only expected answers !!!`);
    for (const line of unexpected) console.log(`!!! ${line}`);
  } else {
    console.log("\nevery answer was the expected one");
  }
  const dir = path.join(ROOT, "bench/results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `alone-${started.toISOString().replaceAll(":", "-").replace(/\..+$/, "")}.json`);
  const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version };
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: started.toISOString(), command, machine, config, loadAverage: { start: loadBefore, end: loadAfter }, measurements }, null, 2)}\n`,
  );
  console.log(`written ${path.relative(ROOT, file)}`);
  return unexpected.length > 0 ? 1 : 0;
}

let config: AloneConfig | "help";
try {
  config = parseCli(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
if (config === "help") {
  console.log(USAGE);
  process.exit(0);
}
main(config).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("[bench:alone] failed:", error);
    process.exit(1);
  },
);
