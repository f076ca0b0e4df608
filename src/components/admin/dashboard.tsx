"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { AdminIntentStory } from "../orders/intent-story";
import { Alerts } from "./alerts";
import { AuditPanel } from "./audit-panel";
import { HeadlineFigures } from "./headline-figures";
import { IntentTimeline } from "./intent-timeline";
import { IntentsTable, intentId } from "./intents-table";
import { LatencyChart } from "./latency-chart";
import { OutcomesChart } from "./outcomes-chart";
import { Panel } from "./panel";
import { RetriesChart } from "./retries-chart";
import { ThresholdsForm } from "./thresholds-form";
import type { StatsWindow, ThresholdOverride } from "./types";

const WINDOWS: { value: StatsWindow; label: string }[] = [
  { value: "5m", label: "5 min" },
  { value: "1h", label: "Hour" },
  { value: "1d", label: "Day" },
  { value: "all", label: "All" },
];
const REFRESH_MS = 3_000;
const THRESHOLDS_STORAGE = "admin.thresholds";

const live = { refetchInterval: REFRESH_MS, refetchIntervalInBackground: false, staleTime: 0 } as const;

function loadOverride(): ThresholdOverride | undefined {
  try {
    const raw = window.localStorage.getItem(THRESHOLDS_STORAGE);
    const parsed: unknown = raw ? JSON.parse(raw) : undefined;
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { duplicateRate, conflictsPerMinute } = parsed as Record<string, unknown>;
    return typeof duplicateRate === "number" && typeof conflictsPerMinute === "number"
      ? { duplicateRate, conflictsPerMinute }
      : undefined;
  } catch {
    return undefined;
  }
}

export function AdminDashboard() {
  const trpc = useTRPC();
  const [window_, setWindow] = useState<StatsWindow>("1h");
  const [override, setOverride] = useState<ThresholdOverride | undefined>(undefined);
  const [selected, setSelected] = useState<{ userId: string; key: string } | null>(null);
  useEffect(() => setOverride(loadOverride()), []);
  const changeOverride = (next: ThresholdOverride | undefined) => {
    setOverride(next);
    if (next) window.localStorage.setItem(THRESHOLDS_STORAGE, JSON.stringify(next));
    else window.localStorage.removeItem(THRESHOLDS_STORAGE);
  };

  const stats = useQuery(trpc.admin.stats.queryOptions({ window: window_, thresholds: override }, live));
  const timeline = useQuery(trpc.admin.timeline.queryOptions({ window: window_ }, live));
  const retries = useQuery(trpc.admin.retries.queryOptions({ window: window_ }, live));
  const latency = useQuery(trpc.admin.latency.queryOptions({ window: window_ }, live));
  const intents = useQuery(trpc.admin.intents.queryOptions({ window: window_, limit: 20 }, live));
  const audit = useQuery(trpc.admin.audit.queryOptions(undefined, live));

  const failed = [stats, timeline, retries, latency, intents, audit].find((q) => q.isError);

  return (
    <div className="space-y-4" data-testid="admin-dashboard">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold tracking-tight">Duplicates &amp; retries</h1>
        <fieldset aria-label="Window" className="ml-auto flex rounded-lg border border-slate-200 bg-white p-0.5">
          {WINDOWS.map((w) => (
            <button
              key={w.value}
              type="button"
              aria-pressed={window_ === w.value}
              onClick={() => setWindow(w.value)}
              className={`rounded-md px-3 py-1 text-sm ${
                window_ === w.value ? "bg-indigo-600 text-white" : "text-slate-600 hover:bg-slate-100"
              }`}
            >
              {w.label}
            </button>
          ))}
        </fieldset>
        <span className="text-xs text-slate-600" data-testid="updated-at" aria-live="off">
          {stats.data ? `live · updated ${new Date(stats.data.generatedAt).toLocaleTimeString("en-GB")}` : "loading…"}
        </span>
      </div>

      {failed?.error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
          Could not refresh the dashboard: {failed.error.message}
        </p>
      ) : null}

      {stats.data ? (
        <>
          <Alerts stats={stats.data} />
          <HeadlineFigures stats={stats.data} />
        </>
      ) : (
        <p className="text-sm text-slate-500">Loading figures…</p>
      )}

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Panel title="Outcomes over time" testId="chart-outcomes">
            {timeline.data ? <OutcomesChart timeline={timeline.data} /> : null}
          </Panel>
        </div>
        <Panel title="Invariant audit" testId="audit-panel">
          {audit.data ? <AuditPanel audit={audit.data} /> : <p className="text-sm text-slate-500">Checking…</p>}
        </Panel>
        <Panel title="Retries per intent" testId="chart-retries">
          {retries.data ? <RetriesChart retries={retries.data} /> : null}
        </Panel>
        <Panel title="Latency: executed vs replayed" testId="chart-latency">
          {latency.data ? <LatencyChart latency={latency.data} /> : null}
        </Panel>
        <Panel title="Alert thresholds" testId="thresholds">
          <ThresholdsForm current={stats.data?.thresholds} override={override} onChange={changeOverride} />
          {stats.data ? (
            <dl className="mt-3 grid grid-cols-2 gap-1 text-xs text-slate-600">
              <dt>Orders (paid / failed / pending / cancelled)</dt>
              <dd className="tabular-nums">
                {stats.data.orders.paid} / {stats.data.orders.failed} / {stats.data.orders.pending} /{" "}
                {stats.data.orders.cancelled}
              </dd>
              <dt>Abandoned records (poison)</dt>
              <dd className="tabular-nums" data-testid="figure-abandonedRecords">
                {stats.data.abandonedRecords}
              </dd>
              <dt>Provider charges</dt>
              <dd className="tabular-nums">{stats.data.providerCharges}</dd>
              <dt>Peak conflicts per minute</dt>
              <dd className="tabular-nums" data-testid="figure-peakConflictsPerMinute">
                {stats.data.peakConflictsPerMinute}
              </dd>
            </dl>
          ) : null}
        </Panel>
      </div>

      <Panel title="Recent intents" testId="intents">
        <div className="space-y-3">
          {intents.data ? (
            <IntentsTable
              intents={intents.data}
              selected={selected ? intentId(selected) : null}
              onSelect={(i) => setSelected({ userId: i.userId, key: i.key })}
            />
          ) : null}
          {selected ? (
            <>
              <IntentTimeline userId={selected.userId} keyValue={selected.key} onClose={() => setSelected(null)} />
              <AdminIntentStory userId={selected.userId} keyValue={selected.key} />
            </>
          ) : null}
        </div>
      </Panel>
    </div>
  );
}
