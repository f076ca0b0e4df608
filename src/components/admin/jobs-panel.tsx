"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { plural } from "../plural";
import { JobFaultControls } from "./job-fault-controls";
import { Panel } from "./panel";

const STATES = ["PENDING", "RUNNING", "SUCCEEDED", "DEAD"] as const;
const stateStyle: Record<(typeof STATES)[number], string> = {
  PENDING: "bg-slate-100 text-slate-700",
  RUNNING: "bg-indigo-50 text-indigo-700",
  SUCCEEDED: "bg-emerald-50 text-emerald-800",
  DEAD: "bg-red-50 text-red-800",
};

const dollars = (micros: number) => `$${(micros / 1_000_000).toFixed(4)}`;

/** After-the-order jobs: states, absorbed redeliveries, tokens spent vs what duplicates would have cost. */
export function JobsPanel() {
  const trpc = useTRPC();
  const jobs = useQuery(trpc.admin.jobs.queryOptions(undefined, { refetchInterval: 3_000, staleTime: 0 }));
  const demo = useQuery(trpc.demo.config.queryOptions());
  const d = jobs.data;
  return (
    <Panel title="Jobs after the order" testId="jobs-panel">
      {jobs.isError ? (
        <p role="alert" className="text-sm text-red-800">
          Could not load jobs: {jobs.error.message}
        </p>
      ) : !d ? (
        <p className="text-sm text-slate-500">Loading jobs…</p>
      ) : (
        <div className="space-y-3 text-sm">
          <ul className="flex flex-wrap gap-2">
            {STATES.map((s) => (
              <li key={s} data-testid={`jobs-${s}`} className={`rounded-md px-2 py-1 tabular-nums ${stateStyle[s]}`}>
                {s.toLowerCase()} <strong>{d.byState[s]}</strong>
              </li>
            ))}
          </ul>
          <dl className="grid grid-cols-2 gap-1 text-xs text-slate-600">
            <dt>Redeliveries absorbed</dt>
            <dd className="tabular-nums" data-testid="jobs-absorbed">
              {d.redeliveriesAbsorbed}
            </dd>
            <dt>Extra deliveries (retries, crashes)</dt>
            <dd className="tabular-nums">{d.extraDeliveries}</dd>
            <dt>E-mails sent</dt>
            <dd className="tabular-nums">{d.emailsSent}</dd>
            <dt>Model calls billed</dt>
            <dd className="tabular-nums">{d.modelCalls}</dd>
            <dt>Tokens spent</dt>
            <dd className="tabular-nums" data-testid="jobs-tokens-spent">
              {d.tokensSpent.toLocaleString("en-GB")} ({dollars(d.costSpentMicros)})
            </dd>
            <dt>Tokens without the defences</dt>
            <dd className="tabular-nums" data-testid="jobs-tokens-without">
              {d.tokensWithoutDefences.toLocaleString("en-GB")} ({dollars(d.costWithoutDefencesMicros)})
            </dd>
          </dl>
          <div>
            <h3 className="text-xs font-semibold text-slate-500">Dead letters</h3>
            {d.deadLetters.length === 0 ? (
              <p className="text-xs text-slate-600">none</p>
            ) : (
              <ul className="mt-1 space-y-1 text-xs" data-testid="jobs-dead-letters">
                {d.deadLetters.map((j) => (
                  <li key={j.id} className="text-red-800">
                    <code>{j.type}</code> for order <code className="break-all">{j.orderId}</code> after{" "}
                    {plural(j.attempts, "attempt")}: {j.lastError ?? "unknown error"}
                  </li>
                ))}
              </ul>
            )}
          </div>
          {demo.data?.faultsEnabled ? <JobFaultControls armed={d.armedFault} /> : null}
        </div>
      )}
    </Panel>
  );
}
