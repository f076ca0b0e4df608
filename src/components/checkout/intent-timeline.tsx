import type { AttemptRecord } from "@/client/checkout-client";
import { shortKey } from "@/client/intent-key";

const labels: Record<AttemptRecord["outcome"], string> = {
  "in-flight": "in flight, waiting for the answer",
  created: "created",
  declined: "declined, not charged",
  replayed: "replayed",
  lost: "lost",
  "in-progress": "still in progress",
  busy: "server busy",
  refused: "refused",
  duplicate: "suspected duplicate",
  deduped: "click absorbed by the request in flight, nothing sent",
};

const tone: Record<AttemptRecord["outcome"], string> = {
  "in-flight": "text-sky-700",
  created: "text-emerald-700",
  declined: "text-red-700",
  replayed: "text-emerald-700",
  lost: "text-red-700",
  "in-progress": "text-amber-700",
  busy: "text-amber-700",
  refused: "text-red-700",
  duplicate: "text-amber-700",
  deduped: "text-indigo-700",
};

/** Every attempt of the intent, as the wire saw it: sent -> lost -> retry -> replayed. */
export function IntentTimeline({ records }: { records: AttemptRecord[] }) {
  if (records.length === 0) return null;
  return (
    <section aria-labelledby="timeline-title" className="mt-4">
      <h3 id="timeline-title" className="text-sm font-semibold text-slate-800">
        Intent timeline
      </h3>
      <p className="text-xs text-slate-500" aria-hidden>
        {records
          .map((r) =>
            r.outcome === "deduped"
              ? "click absorbed"
              : `${r.attempt > 1 ? (r.key ? "retry" : "unsafe retry") : "sent"} → ${labels[r.outcome]}`,
          )
          .join(" → ")}
      </p>
      <ol className="mt-2 space-y-1 font-mono text-xs">
        {records.map((r, i) => (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are append-only and never reordered
            key={i}
            data-testid="attempt"
            data-outcome={r.outcome}
            data-status={r.status ?? ""}
            data-key={r.key ?? ""}
            className="flex flex-wrap gap-x-3 rounded-md bg-slate-50 px-2 py-1"
          >
            <span>
              {r.outcome === "deduped"
                ? "click"
                : `#${r.attempt}${r.attempt > 1 ? (r.key ? " retry" : " UNSAFE retry") : " sent"}`}
            </span>
            <span>key {r.key ? shortKey(r.key) : "none (unsafe)"}</span>
            {r.fault ? <span>fault {r.fault}</span> : null}
            <span className={`font-semibold ${tone[r.outcome]}`}>{labels[r.outcome]}</span>
            {r.outcome === "deduped" || r.outcome === "in-flight" ? null : (
              <>
                <span>{r.status === null ? "no answer" : `HTTP ${r.status}`}</span>
                {r.reason ? <span>{r.reason}</span> : null}
                <span>{r.latencyMs} ms</span>
              </>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
