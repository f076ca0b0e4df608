import type { Stats } from "./types";

export function Alerts({ stats }: { stats: Stats }) {
  if (stats.alerts.length === 0) {
    return (
      <p
        data-testid="alerts-none"
        className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-2 text-sm text-emerald-800"
      >
        No threshold exceeded (duplicate rate ≤ {(stats.thresholds.duplicateRate * 100).toFixed(1)}%, conflicts ≤{" "}
        {stats.thresholds.conflictsPerMinute}/min; peak this window {stats.peakConflictsPerMinute}/min).
      </p>
    );
  }
  return (
    <ul aria-label="Alerts" className="space-y-2">
      {stats.alerts.map((a) => (
        <li
          key={a.kind}
          role="alert"
          data-testid={`alert-${a.kind}`}
          className="rounded-lg border border-red-300 bg-red-50 px-4 py-2 text-sm font-medium text-red-800"
        >
          ⚠ {a.message}
        </li>
      ))}
    </ul>
  );
}
