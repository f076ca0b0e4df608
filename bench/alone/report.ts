/** The printed tables of `npm run bench:alone`: throughput, ratios, unexpected answers, commits per request. */
import { ratio } from "../lib/stats";
import { fmt, table } from "../run/report";
import type { Measurement } from "./matrix";
import { otherCommits, perRequest } from "./pg-counters";
import { SCENARIO_LABELS, SCENARIO_NAMES, type ScenarioName } from "./scenarios";

type Row = { kind: string; concurrency: number; build: string };

/** One row per database, concurrency and build, in that order ("this" before the baseline). */
const rowsOf = (ms: Measurement[]): Row[] => {
  const seen = new Map<string, Row>();
  for (const m of ms) seen.set(`${m.kind}/${m.concurrency}/${m.build}`, m);
  const kinds: string[] = [...new Set(ms.map((m) => m.kind))];
  const builds = [...new Set(ms.map((m) => m.build))].sort((a, b) => (a === "this" ? -1 : b === "this" ? 1 : 0));
  return [...seen.values()].sort(
    (a, b) =>
      kinds.indexOf(a.kind) - kinds.indexOf(b.kind) ||
      a.concurrency - b.concurrency ||
      builds.indexOf(a.build) - builds.indexOf(b.build),
  );
};
const find = (ms: Measurement[], row: Row, scenario: ScenarioName) =>
  ms.find(
    (m) => m.kind === row.kind && m.concurrency === row.concurrency && m.build === row.build && m.scenario === scenario,
  );

export function renderThroughput(ms: Measurement[]): string {
  const scenarios = SCENARIO_NAMES.filter((s) => ms.some((m) => m.scenario === s));
  return table(
    ["database", "c", "build", ...scenarios.map((s) => `${SCENARIO_LABELS[s]}: req/s, p50 / p99 ms`)],
    rowsOf(ms).map((row) => [
      row.kind,
      String(row.concurrency),
      row.build,
      ...scenarios.map((s) => {
        const m = find(ms, row, s);
        if (!m) return "n/a";
        const flag = m.load.unexpected + m.load.errors > 0 ? " (!)" : "";
        return `${fmt(m.load.perSecond, 0)}, ${fmt(m.load.latency.p50, 1)} / ${fmt(m.load.latency.p99, 1)}${flag}`;
      }),
    ]),
  );
}

export function renderRatios(ms: Measurement[], baseline: string | null): string {
  const perSecond = (row: Row, s: ScenarioName) => find(ms, row, s)?.load.perSecond ?? Number.NaN;
  const p50 = (row: Row, s: ScenarioName) => find(ms, row, s)?.load.latency.p50 ?? Number.NaN;
  const vsBaseline = (row: Row, s: ScenarioName) =>
    baseline && row.build !== baseline
      ? ratio(perSecond(row, s), perSecond({ ...row, build: baseline }, s))
      : Number.NaN;
  return table(
    [
      "database",
      "c",
      "build",
      "replay/read req/s (target >= 0.9)",
      "replay/read p50 (target <= 1.1)",
      "first/unsafe req/s (target >= 0.9)",
      "first / baseline first req/s (target >= 2)",
    ],
    rowsOf(ms).map((row) => [
      row.kind,
      String(row.concurrency),
      row.build,
      fmt(ratio(perSecond(row, "replay"), perSecond(row, "read")), 2),
      fmt(ratio(p50(row, "replay"), p50(row, "read")), 2),
      fmt(ratio(perSecond(row, "first"), perSecond(row, "unsafe")), 2),
      fmt(vsBaseline(row, "first"), 2),
    ]),
  );
}

/** Server CPU ms per expected answer (the load's CPU over its expected answers). */
const cpuPerAnswer = (m: Measurement | undefined): number =>
  m && m.load.perSecond > 0 ? m.serverCpuMs / (m.load.perSecond * m.load.seconds) : Number.NaN;

/**
 * What one request cost the server's processes in CPU, per scenario, and the ratios of the targets computed
 * from it: at saturation throughput is CPU-bound, so a cost ratio predicts the throughput ratio without the
 * noise that other processes on the machine add to req/s (an inverse: replay/read here is read CPU / replay CPU).
 */
export function renderCpu(ms: Measurement[], baseline: string | null): string {
  const scenarios = SCENARIO_NAMES.filter((s) => ms.some((m) => m.scenario === s));
  const cost = (row: Row, s: ScenarioName) => cpuPerAnswer(find(ms, row, s));
  return table(
    [
      "database",
      "c",
      "build",
      ...scenarios.map((s) => `${SCENARIO_LABELS[s]}: server CPU ms / request`),
      "read/replay CPU (throughput ratio)",
      "unsafe/first CPU",
      "baseline first / first CPU",
    ],
    rowsOf(ms).map((row) => [
      row.kind,
      String(row.concurrency),
      row.build,
      ...scenarios.map((s) => fmt(cost(row, s), 2)),
      fmt(ratio(cost(row, "read"), cost(row, "replay")), 2),
      fmt(ratio(cost(row, "unsafe"), cost(row, "first")), 2),
      fmt(
        baseline && row.build !== baseline
          ? ratio(cost({ ...row, build: baseline }, "first"), cost(row, "first"))
          : Number.NaN,
        2,
      ),
    ]),
  );
}

/** Every measurement with an answer the scenario does not expect, or no answer: empty when all were as expected. */
export function unexpectedLines(ms: Measurement[]): string[] {
  return ms
    .filter((m) => m.load.unexpected + m.load.errors > 0)
    .map(
      (m) =>
        `${m.kind} c=${m.concurrency} ${m.scenario} ${m.build}: ${m.load.unexpected} of ${m.load.answers} answers unexpected, ` +
        `${m.load.errors} connection errors/timeouts; statuses ${JSON.stringify(m.load.statuses)}`,
    );
}

export function renderCounters(ms: Measurement[]): string {
  const counted = ms
    .filter((m) => m.counters)
    .sort(
      (a, b) =>
        SCENARIO_NAMES.indexOf(a.scenario) - SCENARIO_NAMES.indexOf(b.scenario) ||
        (a.build === "this" ? -1 : b.build === "this" ? 1 : 0),
    );
  if (counted.length === 0) return "";
  return table(
    [
      "PostgreSQL, c=1, per request",
      "build",
      "durable commits (COMMIT records, own DB)",
      "WAL syncs (cluster)",
      "xact commits",
      "rollbacks",
      "rows inserted",
      "rows updated",
      "rows deleted",
      "WAL records (own DB / cluster)",
      "WAL bytes (cluster)",
      "other DBs' commits meanwhile (noise on WAL syncs)",
    ],
    counted.map((m) => {
      const c = m.counters;
      if (!c) return [];
      const p = perRequest(c.before, c.after, m.load.answers);
      const own = (n: number | undefined) => (n === undefined ? Number.NaN : n / m.load.answers);
      return [
        SCENARIO_LABELS[m.scenario],
        m.build,
        fmt(own(c.wal?.commitRecords), 2),
        fmt(p.walSyncs, 2),
        fmt(p.commits, 2),
        fmt(p.rollbacks, 2),
        fmt(p.inserted, 2),
        fmt(p.updated, 2),
        fmt(p.deleted, 2),
        `${fmt(own(c.wal?.records), 1)} / ${fmt(p.walRecords, 1)}`,
        fmt(p.walBytes, 0),
        String(otherCommits(c.before, c.after)),
      ];
    }),
  );
}
