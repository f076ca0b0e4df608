/** The bench's printed tables. */
import type { Audit } from "../lib/http";
import type { LatencySummary } from "../lib/stats";
import type { StormRow, TopologyReport } from "./report-types";

export const fmt = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || Number.isNaN(v) ? "n/a" : v.toFixed(digits);
const lat = (l: LatencySummary | undefined) =>
  !l || l.count === 0 ? "n/a" : `${fmt(l.p50, 1)} / ${fmt(l.p95, 1)} / ${fmt(l.p99, 1)}`;

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(headers), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

export const auditText = (a: Audit | undefined) =>
  !a
    ? "n/a"
    : a.ok
      ? "ok"
      : `FAIL: ${a.invariants
          .filter((i) => i.violations > 0)
          .map((i) => `${i.name}=${i.violations}`)
          .join(", ")}`;

export function render(reports: TopologyReport[]): string {
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
