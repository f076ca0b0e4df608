/** The bench's targets, each met or not, with the figures behind the verdict. */
import { auditText, fmt } from "./report";
import type { TopologyReport } from "./report-types";

export type Verdict = { target: string; met: boolean; detail: string };

export function verdicts(reports: TopologyReport[]): Verdict[] {
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
