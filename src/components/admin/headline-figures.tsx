import { formatCents } from "@/client/money";
import type { Stats } from "./types";

type Figure = { id: string; label: string; value: string; hint: string; tone?: "good" | "warn" };

const int = (n: number) => n.toLocaleString("en-US");

export function HeadlineFigures({ stats }: { stats: Stats }) {
  const figures: Figure[] = [
    { id: "keyedRequests", label: "Keyed requests", value: int(stats.keyedRequests), hint: "reached the server" },
    { id: "distinctIntents", label: "Distinct intents", value: int(stats.distinctIntents), hint: "(user, key) pairs" },
    { id: "executed", label: "Executed", value: int(stats.executed), hint: "ran for real", tone: "good" },
    { id: "replayed", label: "Replayed", value: int(stats.replayed), hint: "stored answer sent again" },
    {
      id: "inFlightConflicts",
      label: "In-flight conflicts",
      value: int(stats.inFlightConflicts),
      hint: "409, twin still running",
    },
    {
      id: "fingerprintMismatches",
      label: "Fingerprint mismatches",
      value: int(stats.fingerprintMismatches),
      hint: "key reused for another request",
    },
    {
      id: "missingOrInvalidKeys",
      label: "Missing / invalid keys",
      value: int(stats.missingOrInvalidKeys),
      hint: "400",
    },
    {
      id: "leaseTakeovers",
      label: "Lease takeovers",
      value: int(stats.leaseTakeovers),
      hint: "crashed attempts resumed",
    },
    {
      id: "transientResumes",
      label: "Transient resumes",
      value: int(stats.transientResumes),
      hint: "resumed after a brief failure",
    },
    {
      id: "suspectedDuplicates",
      label: "Suspected duplicates",
      value: int(stats.suspectedDuplicates),
      hint: "new key, same order",
    },
    {
      id: "clientDeduped",
      label: "Client-deduped submits",
      value: int(stats.clientDeduped),
      hint: "never left the browser",
    },
    { id: "clientRetries", label: "Client retries", value: int(stats.clientRetries), hint: "same key, backoff" },
    {
      id: "unsafeCalls",
      label: "Unsafe calls",
      value: int(stats.unsafeCalls),
      hint: "no key, not counted above",
      tone: stats.unsafeCalls > 0 ? "warn" : undefined,
    },
    {
      id: "duplicateRate",
      label: "Duplicate rate",
      value: `${(stats.duplicateRate * 100).toFixed(1)}%`,
      hint: "replays + conflicts + suspected",
      tone: stats.duplicateRate > stats.thresholds.duplicateRate ? "warn" : undefined,
    },
    {
      id: "moneyProtected",
      label: "Money protected",
      value: formatCents(stats.moneyProtectedCents),
      hint: "duplicates would have charged",
      tone: "good",
    },
  ];
  return (
    <dl aria-label="Headline figures" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5 xl:grid-cols-7">
      {figures.map((f) => (
        <div
          key={f.id}
          className={`rounded-lg border bg-white p-3 shadow-sm ${
            f.tone === "warn"
              ? "border-red-300 bg-red-50"
              : f.tone === "good"
                ? "border-emerald-200"
                : "border-slate-200"
          }`}
        >
          <dt className="text-xs font-medium text-slate-500">{f.label}</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`figure-${f.id}`}>
            {f.value}
          </dd>
          <dd className="text-[11px] text-slate-600">{f.hint}</dd>
        </div>
      ))}
    </dl>
  );
}
