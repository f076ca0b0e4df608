/**
 * `npm run bench`: the duplicate-storm benchmark of issue 6. Starts the built app itself (one instance on
 * SQLite, two on one PostgreSQL database), storms checkout.placeOrder and the unsafe baseline with
 * duplicated, faulted, retried requests, then prints the figures and writes bench/results/<time>.json.
 * Flags (or BENCH_* env): see `npm run bench -- --help`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Cluster, startCluster, waitForQuiet, waitForRecovery } from "./lib/cluster";
import type { Counts, Kind } from "./lib/databases";
import { type Audit, dataOf, fetchAudit, isReplay, query, send, type Target } from "./lib/http";
import { ensureBuild, ROOT, type RssSample } from "./lib/instances";
import { defaultPolicy, type RetryPolicy } from "./lib/retrying-client";
import { type LatencySummary, ratio, summarize } from "./lib/stats";
import {
  bodyFor,
  type Intent,
  mapLimit,
  PLACE_ORDER,
  PLACE_ORDER_UNSAFE,
  pickRandom,
  prepareIntents,
  runStorm,
  type StormOptions,
  type StormResult,
  type StormSummary,
} from "./lib/storm";

const { values: flags } = parseArgs({
  options: {
    intents: { type: "string", default: process.env.BENCH_INTENTS ?? "2000" },
    copies: { type: "string", default: process.env.BENCH_COPIES ?? "5" },
    concurrency: { type: "string", default: process.env.BENCH_CONCURRENCY ?? "64" },
    "fault-share": { type: "string", default: process.env.BENCH_FAULT_SHARE ?? "0.1" },
    "declined-share": { type: "string", default: process.env.BENCH_DECLINED_SHARE ?? "0.05" },
    "first-exec": { type: "string", default: process.env.BENCH_FIRST_EXEC ?? "1000" },
    "latency-samples": { type: "string", default: process.env.BENCH_LATENCY_SAMPLES ?? "300" },
    "max-attempts": { type: "string", default: process.env.BENCH_MAX_ATTEMPTS ?? String(defaultPolicy.maxAttempts) },
    "max-storm-seconds": { type: "string", default: process.env.BENCH_MAX_STORM_SECONDS ?? "600" },
    only: { type: "string", default: process.env.BENCH_ONLY ?? "all" },
    "dist-dir": { type: "string", default: process.env.BENCH_DIST_DIR ?? ".next-bench" },
    "first-port": { type: "string", default: process.env.BENCH_FIRST_PORT ?? "3401" },
    rebuild: { type: "boolean", default: process.env.BENCH_REBUILD === "1" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (flags.help) {
  console.log(`npm run bench -- [--intents 2000] [--copies 5] [--concurrency 64] [--fault-share 0.1]
  [--declined-share 0.05] [--first-exec 1000] [--latency-samples 300] [--max-attempts 10]
  [--max-storm-seconds 600] [--only all|sqlite|postgres] [--dist-dir .next-bench] [--first-port 3401]
  [--rebuild] [--keep]   (each also as BENCH_<NAME> env, e.g. BENCH_INTENTS=200)`);
  process.exit(0);
}

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

const config = {
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

type StormRow = {
  summary: StormSummary;
  orders: number;
  ordersByStatus: Record<string, number>;
  charges: number;
  chargesByStatus: Record<string, number>;
  duplicateOrders: number;
  extraCharges: number;
  recordsInProgress: number;
  recoveryWaitMs: number | null;
  audit: Audit;
};
type FirstExecution = {
  intents: number;
  protected: { perSecond: number; latency: LatencySummary };
  unsafe: { perSecond: number; latency: LatencySummary } | null;
  ratio: number;
};
type ReplayVsRead = {
  concurrency: number;
  replay: LatencySummary;
  read: LatencySummary;
  ratioP50: number;
  ratioP95: number;
  unexpected: number;
};
type Memory = {
  instance: string;
  afterWarmupMb: number;
  stormFirstHalfPeakMb: number;
  stormSecondHalfPeakMb: number;
  endMb: number;
  peakHwmMb: number;
  flat: boolean;
};
type TopologyReport = {
  topology: string;
  kind: Kind;
  instances: number;
  unsafeAvailable: boolean;
  firstExecution: FirstExecution;
  protectedStorm: StormRow;
  unsafeStorm: StormRow | null;
  replayVsRead: ReplayVsRead[];
  memory: Memory[];
};

/** The cluster being measured, so an interrupted run still stops its servers and drops its database. */
let active: Cluster | null = null;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    const cluster = active;
    active = null;
    void (cluster ? cluster.close({ keepDatabase: flags.keep }) : Promise.resolve()).finally(() => process.exit(130));
  });
}

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

function stormOptions(cluster: Cluster, procedure: string, prefix: string, over: Partial<StormOptions>): StormOptions {
  return {
    targets: cluster.targets,
    procedure,
    intents: config.intents,
    copies: config.copies,
    concurrency: config.concurrency,
    faultShare: config.faultShare,
    declinedShare: config.declinedShare,
    shoppers: Math.max(1, Math.ceil(config.intents / 10)),
    namePrefix: prefix,
    policy,
    maxMs: config.maxStormMs,
    ...over,
  };
}

async function storm(options: StormOptions): Promise<StormResult> {
  const intents = await prepareIntents(options);
  let lastShown = 0;
  return runStorm(
    {
      ...options,
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - lastShown < 5_000 && done < total) return;
        lastShown = now;
        log(`  ${options.procedure}: ${done}/${total} copies answered`);
      },
    },
    intents,
  );
}

const diff = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - (before[k] ?? 0)])
      .filter(([, v]) => v !== 0),
  );

async function measuredStorm(cluster: Cluster, procedure: string, prefix: string): Promise<StormRow> {
  const before = await cluster.db.counts();
  const result = await storm(stormOptions(cluster, procedure, prefix, {}));
  let after: Counts;
  let recoveryWaitMs: number | null = null;
  if (procedure === PLACE_ORDER) {
    // The storm is over when the recovery worker has finished every record clients abandoned.
    const waited = await waitForRecovery(cluster.db, 120_000);
    after = waited.counts;
    recoveryWaitMs = waited.ms;
  } else {
    after = await cluster.db.counts();
  }
  const mine = await cluster.db.ordersOf(prefix);
  const audit = await fetchAudit(pickRandom(cluster.targets), cluster.adminCookie);
  const charges = after.charges - before.charges;
  return {
    summary: result.summary,
    orders: mine.orders,
    ordersByStatus: diff(after.ordersByStatus, before.ordersByStatus),
    charges,
    chargesByStatus: diff(after.chargesByStatus, before.chargesByStatus),
    duplicateOrders: mine.duplicates,
    // One charge per intent that has an order is expected (declined cards are charges too).
    extraCharges: charges - (mine.orders - mine.duplicates),
    recordsInProgress: after.recordsInProgress,
    recoveryWaitMs,
    audit,
  };
}

/** First executions only (one copy per intent, no faults), protected and unsafe in alternating rounds. */
async function firstExecution(cluster: Cluster, unsafeAvailable: boolean): Promise<FirstExecution> {
  // Four rounds, the order swapped every round (p u, u p, p u, u p): on a noisy 2-core machine neither path
  // always runs first or last, which moved the ratio by up to 0.25 between runs with two rounds.
  const rounds = 4;
  const perRound = Math.max(1, Math.floor(config.firstExec / rounds));
  const acc = { p: { n: 0, ms: 0, lat: [] as number[] }, u: { n: 0, ms: 0, lat: [] as number[] } };
  const both = [
    ["p", PLACE_ORDER],
    ["u", PLACE_ORDER_UNSAFE],
  ] as const;
  for (let round = 0; round < rounds; round++) {
    for (const [key, procedure] of round % 2 === 0 ? both : [...both].reverse()) {
      if (key === "u" && !unsafeAvailable) continue;
      const options = stormOptions(cluster, procedure, `fe${round}-${key}-`, {
        intents: perRound,
        copies: 1,
        faultShare: 0,
        declinedShare: 0,
      });
      const intents = await prepareIntents(options);
      // Each timed round starts idle: not paying for the previous round's jobs (e-mails, model calls).
      await waitForQuiet(cluster.db, 120_000);
      const result = await runStorm(options, intents);
      acc[key].n += result.summary.finals.ok;
      acc[key].ms += result.summary.durationMs;
      for (const r of result.results)
        for (const a of r.outcome.attempts) if (a.kind === "executed") acc[key].lat.push(a.ms);
    }
  }
  const perSecond = (a: { n: number; ms: number }) => Math.round((a.n / a.ms) * 1000 * 10) / 10;
  const p = { perSecond: perSecond(acc.p), latency: summarize(acc.p.lat) };
  const u = unsafeAvailable ? { perSecond: perSecond(acc.u), latency: summarize(acc.u.lat) } : null;
  return {
    intents: perRound * rounds,
    protected: p,
    unsafe: u,
    ratio: u ? ratio(p.perSecond, u.perSecond) : Number.NaN,
  };
}

/** Replays of completed intents against a plain authenticated read (orders.get) of the same order, interleaved. */
async function replayVsRead(targets: Target[], completed: { intent: Intent; orderId: string }[], concurrency: number) {
  const replay: number[] = [];
  const read: number[] = [];
  let unexpected = 0;
  const tasks = Array.from({ length: config.latencySamples }, (_, i) => completed[i % completed.length]);
  await mapLimit(tasks, concurrency, async (task) => {
    if (!task) return;
    const doReplay = async () => {
      const answer = await send(pickRandom(targets), {
        method: "POST",
        path: `/api/trpc/${PLACE_ORDER}`,
        headers: { cookie: task.intent.cookie, "x-retry-attempt": "1" },
        body: task.intent.body,
      });
      if (answer.status === 200 && isReplay(answer)) replay.push(answer.ms);
      else unexpected++;
    };
    const doRead = async () => {
      const answer = await query(pickRandom(targets), "orders.get", task.intent.cookie, { id: task.orderId });
      if (answer.status === 200 && dataOf(answer)) read.push(answer.ms);
      else unexpected++;
    };
    if (Math.random() < 0.5) {
      await doReplay();
      await doRead();
    } else {
      await doRead();
      await doReplay();
    }
  });
  const r = summarize(replay);
  const q = summarize(read);
  return { concurrency, replay: r, read: q, ratioP50: ratio(r.p50, q.p50), ratioP95: ratio(r.p95, q.p95), unexpected };
}

async function unsafeIsAvailable(cluster: Cluster): Promise<boolean> {
  const options = stormOptions(cluster, PLACE_ORDER_UNSAFE, "probe-u-", { intents: 1, copies: 1, faultShare: 0 });
  const [intent] = await prepareIntents(options);
  const first = cluster.targets[0];
  if (!intent || !first) return false;
  const answer = await send(first, {
    method: "POST",
    path: `/api/trpc/${PLACE_ORDER_UNSAFE}`,
    headers: { cookie: intent.cookie },
    body: bodyFor(PLACE_ORDER_UNSAFE, intent),
  });
  if (answer.status === 404) return false;
  if (answer.status !== 201)
    throw new Error(`${PLACE_ORDER_UNSAFE} probe: HTTP ${answer.status} ${JSON.stringify(answer.json)}`);
  return true;
}

const mb = (kb: number) => Math.round(kb / 1024);
function memoryOf(cluster: Cluster, warmupEnd: number): Memory[] {
  return cluster.instances.map((instance) => {
    const storm = instance.samples.filter((s) => s.phase === "storm-protected");
    const start = storm[0]?.at ?? 0;
    const end = storm.at(-1)?.at ?? 0;
    const mid = start + (end - start) / 2;
    const peak = (samples: RssSample[]) => mb(Math.max(0, ...samples.map((s) => s.rssKb)));
    const firstHalf = peak(storm.filter((s) => s.at <= mid));
    const secondHalf = peak(storm.filter((s) => s.at > mid));
    const afterWarmup = instance.samples.find((s) => s.at >= warmupEnd);
    return {
      instance: instance.name,
      afterWarmupMb: mb(afterWarmup?.rssKb ?? 0),
      stormFirstHalfPeakMb: firstHalf,
      stormSecondHalfPeakMb: secondHalf,
      endMb: mb(instance.samples.at(-1)?.rssKb ?? 0),
      peakHwmMb: mb(instance.peakKb),
      // Flat: the second half of the storm needs no more than 10% above the first half's peak.
      flat: secondHalf <= firstHalf * 1.1,
    };
  });
}

async function runTopology(kind: Kind, instances: number, firstPort: number): Promise<TopologyReport> {
  const topology = `${kind} x${instances}`;
  log(`${topology}: fresh database, starting ${instances} instance(s) on ports ${firstPort}..`);
  const cluster = await startCluster({
    kind,
    instances,
    firstPort,
    distDir: config.distDir,
    label: kind === "sqlite" ? "sq" : "pg",
    connectionsPerTarget: config.concurrency,
    env: { IDEMPOTENCY_LEASE_MS: String(config.leaseMs), RECOVERY_INTERVAL_MS: String(config.recoveryIntervalMs) },
  });
  active = cluster;
  const phase = (name: string) => {
    for (const i of cluster.instances) i.phase = name;
  };
  try {
    log(`${topology}: logs in ${cluster.logDir}`);
    phase("warmup");
    const unsafeAvailable = await unsafeIsAvailable(cluster);
    if (!unsafeAvailable) log(`${topology}: ${PLACE_ORDER_UNSAFE} is not served by this build: no baseline`);
    for (const procedure of unsafeAvailable ? [PLACE_ORDER, PLACE_ORDER_UNSAFE] : [PLACE_ORDER]) {
      const warm = stormOptions(cluster, procedure, `warm-${procedure === PLACE_ORDER ? "p" : "u"}-`, {
        intents: 100,
        // The baseline's warm-up sends each intent once: its double charges belong in its own storm, not in
        // the audit of the protected storm that runs next on the same database.
        copies: procedure === PLACE_ORDER ? 2 : 1,
        faultShare: 0,
      });
      await runStorm(warm, await prepareIntents(warm));
    }
    const warmupEnd = Date.now();

    phase("first-execution");
    log(`${topology}: first executions (${config.firstExec} intents, one copy each, no faults)`);
    const firstExec = await firstExecution(cluster, unsafeAvailable);

    phase("storm-protected");
    log(`${topology}: storm on ${PLACE_ORDER}: ${config.intents} intents x ${config.copies} copies`);
    const protectedResult = await measuredStorm(cluster, PLACE_ORDER, "st-p-");

    phase("replay-vs-read");
    log(`${topology}: replay vs plain read (${config.latencySamples} pairs)`);
    const shoppers = await completedIntents(cluster);
    const rvr = [await replayVsRead(cluster.targets, shoppers, 1), await replayVsRead(cluster.targets, shoppers, 16)];

    let unsafeResult: StormRow | null = null;
    if (unsafeAvailable) {
      phase("storm-unsafe");
      log(`${topology}: storm on ${PLACE_ORDER_UNSAFE} (baseline)`);
      unsafeResult = await measuredStorm(cluster, PLACE_ORDER_UNSAFE, "st-u-");
    }
    phase("end");
    for (const i of cluster.instances) i.sample();
    return {
      topology,
      kind,
      instances,
      unsafeAvailable,
      firstExecution: firstExec,
      protectedStorm: protectedResult,
      unsafeStorm: unsafeResult,
      replayVsRead: rvr,
      memory: memoryOf(cluster, warmupEnd),
    };
  } finally {
    active = null;
    await cluster.close({ keepDatabase: flags.keep });
  }
}

/** Completed intents for the replay measurement, from a small clean storm of their own (no faults). */
async function completedIntents(cluster: Cluster) {
  const options = stormOptions(cluster, PLACE_ORDER, "rr-", {
    intents: Math.min(config.latencySamples, 200),
    copies: 1,
    faultShare: 0,
    declinedShare: 0,
  });
  const result = await runStorm(options, await prepareIntents(options));
  const completed: { intent: Intent; orderId: string }[] = [];
  for (const r of result.results) {
    const intent = result.intents[r.intent];
    const orderId = r.outcome.data?.orderId;
    if (intent && typeof orderId === "string") completed.push({ intent, orderId });
  }
  if (completed.length === 0) throw new Error("no completed intents to replay");
  return completed;
}

// ---- output ----

const fmt = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || Number.isNaN(v) ? "n/a" : v.toFixed(digits);
const lat = (l: LatencySummary | undefined) =>
  !l || l.count === 0 ? "n/a" : `${fmt(l.p50, 1)} / ${fmt(l.p95, 1)} / ${fmt(l.p99, 1)}`;

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(headers), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

const auditText = (a: Audit | undefined) =>
  !a
    ? "n/a"
    : a.ok
      ? "ok"
      : `FAIL: ${a.invariants
          .filter((i) => i.violations > 0)
          .map((i) => `${i.name}=${i.violations}`)
          .join(", ")}`;

function render(reports: TopologyReport[]): string {
  const columns: { name: string; row: StormRow | null; topo: TopologyReport }[] = reports.flatMap((t) => [
    { name: `${t.topology} protected`, row: t.protectedStorm, topo: t },
    { name: `${t.topology} unsafe`, row: t.unsafeStorm, topo: t },
  ]);
  const cell = (f: (r: StormRow, t: TopologyReport) => string) =>
    columns.map((c) => (c.row ? f(c.row, c.topo) : "n/a"));
  const storm = table(
    ["storm", ...columns.map((c) => c.name)],
    [
      [
        "intents x copies @ concurrency",
        ...cell((r) => `${r.summary.intents} x ${r.summary.copies} @ ${r.summary.concurrency}`),
      ],
      ["shoppers", ...cell((r) => String(r.summary.shoppers))],
      [
        "faulted first attempts",
        ...cell((r) => String(Object.values(r.summary.faultsInjected).reduce((a, b) => a + b, 0))),
      ],
      ["HTTP requests (incl. retries)", ...cell((r) => String(r.summary.requests))],
      ["requests/s", ...cell((r) => fmt(r.summary.requestsPerSecond, 1))],
      [
        "final ok / refused / gave up",
        ...cell(
          (r) =>
            `${r.summary.finals.ok} / ${r.summary.finals.refused} / ${r.summary.finals.gaveUp + r.summary.finals.notRun}`,
        ),
      ],
      ["executed p50/p95/p99 ms", ...cell((r) => lat(r.summary.latency.executed))],
      ["replayed p50/p95/p99 ms", ...cell((r) => lat(r.summary.latency.replayed))],
      ["end-to-end p50/p95/p99 ms", ...cell((r) => lat(r.summary.latency.endToEnd))],
      [
        "orders created",
        ...cell(
          (r) =>
            `${r.orders} (${Object.entries(r.ordersByStatus)
              .map(([k, v]) => `${k} ${v}`)
              .join(", ")})`,
        ),
      ],
      [
        "provider charges",
        ...cell(
          (r) =>
            `${r.charges} (${Object.entries(r.chargesByStatus)
              .map(([k, v]) => `${k} ${v}`)
              .join(", ")})`,
        ),
      ],
      ["duplicate orders", ...cell((r) => String(r.duplicateOrders))],
      ["extra charges", ...cell((r) => String(r.extraCharges))],
      ["intents answered with >1 order id", ...cell((r) => String(r.summary.intentsWithSeveralOrderIds))],
      ["records in progress at end", ...cell((r) => String(r.recordsInProgress))],
      ["recovery wait ms", ...cell((r) => fmt(r.recoveryWaitMs))],
      ["audit", ...cell((r) => auditText(r.audit))],
    ],
  );
  const first = table(
    [
      "first execution (1 copy, no faults)",
      "protected req/s",
      "unsafe req/s",
      "protected/unsafe",
      "protected p50/p95/p99 ms",
      "unsafe p50/p95/p99 ms",
    ],
    reports.map((t) => [
      `${t.topology} (${t.firstExecution.intents} intents)`,
      fmt(t.firstExecution.protected.perSecond, 1),
      fmt(t.firstExecution.unsafe?.perSecond, 1),
      fmt(t.firstExecution.ratio, 2),
      lat(t.firstExecution.protected.latency),
      lat(t.firstExecution.unsafe?.latency),
    ]),
  );
  const replay = table(
    ["replay vs orders.get", "concurrency", "replay p50/p95/p99 ms", "read p50/p95/p99 ms", "ratio p50", "ratio p95"],
    reports.flatMap((t) =>
      t.replayVsRead.map((r) => [
        t.topology,
        String(r.concurrency),
        lat(r.replay),
        lat(r.read),
        fmt(r.ratioP50, 2),
        fmt(r.ratioP95, 2),
      ]),
    ),
  );
  const memory = table(
    ["memory (RSS MB)", "after warm-up", "storm 1st half peak", "storm 2nd half peak", "end", "peak VmHWM", "flat"],
    reports.flatMap((t) =>
      t.memory.map((m) => [
        m.instance,
        String(m.afterWarmupMb),
        String(m.stormFirstHalfPeakMb),
        String(m.stormSecondHalfPeakMb),
        String(m.endMb),
        String(m.peakHwmMb),
        m.flat ? "yes" : "no",
      ]),
    ),
  );
  return [storm, first, replay, memory].join("\n\n");
}

function verdicts(reports: TopologyReport[]): { target: string; met: boolean; detail: string }[] {
  const dupes = reports.map(
    (t) =>
      t.protectedStorm.duplicateOrders +
      Math.max(0, t.protectedStorm.extraCharges) +
      t.protectedStorm.summary.intentsWithSeveralOrderIds,
  );
  const replayRatios = reports.flatMap((t) => t.replayVsRead.map((r) => r.ratioP50));
  const firstRatios = reports.map((t) => t.firstExecution.ratio);
  return [
    {
      target: "0 duplicate orders or charges (protected, faults included), audit ok",
      met: dupes.every((d) => d === 0) && reports.every((t) => t.protectedStorm.audit.ok),
      detail: reports
        .map((t, i) => `${t.topology}: ${dupes[i]} duplicates, audit ${auditText(t.protectedStorm.audit)}`)
        .join("; "),
    },
    {
      target: "replay p50 <= 1.5x plain read p50",
      met: replayRatios.every((r) => r <= 1.5),
      detail: reports
        .map(
          (t) => `${t.topology}: ${t.replayVsRead.map((r) => `${fmt(r.ratioP50, 2)}x @${r.concurrency}`).join(", ")}`,
        )
        .join("; "),
    },
    {
      target: "protected first-execution throughput >= 0.7x unsafe",
      met: firstRatios.every((r) => r >= 0.7),
      detail: reports.map((t) => `${t.topology}: ${fmt(t.firstExecution.ratio, 2)}x`).join("; "),
    },
    {
      target: "memory flat across the storm",
      met: reports.every((t) => t.memory.every((m) => m.flat)),
      detail: reports
        .flatMap((t) => t.memory.map((m) => `${m.instance} ${m.stormFirstHalfPeakMb}->${m.stormSecondHalfPeakMb} MB`))
        .join("; "),
    },
  ];
}

async function main(): Promise<void> {
  const started = new Date();
  ensureBuild(config.distDir, { rebuild: flags.rebuild, log });
  const reports: TopologyReport[] = [];
  if (config.only !== "postgres") reports.push(await runTopology("sqlite", 1, config.firstPort));
  if (config.only !== "sqlite") reports.push(await runTopology("postgres", 2, config.firstPort + 1));
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("[bench] failed:", error);
    process.exit(1);
  },
);
