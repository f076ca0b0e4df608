"use client";

import Link from "next/link";
import { useState } from "react";
import { plural } from "../plural";
import { SignInPrompt } from "../sign-in-prompt";
import { linkText, panel, primaryButton } from "../ui";
import { useSession } from "../use-session";
import { type Outcome, type Scenario, scenarios } from "./scenarios";

type RunState = { state: "running" } | { state: "done"; outcomes: Outcome[] } | { state: "failed"; message: string };

function Side({ outcome }: { outcome: Outcome }) {
  return (
    <div
      className="rounded-md border border-slate-200 p-3 text-sm"
      data-testid="tour-outcome"
      data-orders={outcome.orders.length}
      data-charges={outcome.charges}
    >
      <h4 className="font-semibold">{outcome.label}</h4>
      {outcome.jobs ? (
        <p className="mt-1" data-testid="tour-jobs">
          <strong>{plural(outcome.jobs.redelivered, "job")}</strong> redelivered,{" "}
          <strong>{outcome.jobs.absorbed}</strong> absorbed,{" "}
          <strong>{plural(outcome.jobs.emailsSent, "e-mail")}</strong> and{" "}
          <strong>{plural(outcome.jobs.modelCalls, "model call")}</strong> more
        </p>
      ) : null}
      <p className="mt-1">
        <strong>{plural(outcome.orders.length, "order")}</strong> created,{" "}
        <strong>{plural(outcome.charges, "charge")}</strong> made
      </p>
      <ul className="mt-1">
        {outcome.orders.map((o) => (
          <li key={o.id}>
            <Link href={`/orders/${o.id}`} className={`${linkText} font-mono`}>
              Order {o.id.slice(-8)}
            </Link>{" "}
            {o.status.toLowerCase()}
          </li>
        ))}
      </ul>
      <p className="mt-2 text-xs font-medium text-slate-700">Requests: {outcome.requests.join(" · ")}</p>
      <p className="mt-2 text-xs font-medium text-slate-700">What stopped each duplicate:</p>
      <ul className="list-disc pl-5 text-xs" data-testid="tour-defences">
        {outcome.defences.length === 0 ? <li>no duplicate reached the server</li> : null}
        {outcome.defences.map((d, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the same defence may stop several duplicates
          <li key={i}>{d}</li>
        ))}
      </ul>
    </div>
  );
}

function ScenarioCard({ scenario, isAdmin }: { scenario: Scenario; isAdmin: boolean }) {
  const [run, setRun] = useState<RunState | null>(null);
  const start = async () => {
    setRun({ state: "running" });
    try {
      setRun({ state: "done", outcomes: await scenario.run() });
    } catch (error) {
      setRun({ state: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <li className={panel} data-testid={`tour-${scenario.id}`} data-state={run?.state ?? "idle"}>
      <h2 className="text-lg font-semibold">{scenario.title}</h2>
      <p className="mt-1 text-sm text-slate-600">{scenario.what}</p>
      {scenario.adminOnly && !isAdmin ? (
        <p className="mt-3 text-sm text-slate-700">Sign in with the admin password to run this one.</p>
      ) : (
        <button
          type="button"
          className={`${primaryButton} mt-3`}
          onClick={start}
          disabled={run?.state === "running"}
          aria-busy={run?.state === "running"}
        >
          {run?.state === "running" ? "Running…" : run ? "Run again" : "Run"}
        </button>
      )}
      <div aria-live="polite">
        {run?.state === "failed" ? (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {run.message}
          </p>
        ) : null}
        {run?.state === "done" ? (
          <div className="mt-3 grid gap-3 sm:grid-cols-2" data-testid="tour-result">
            {run.outcomes.map((o) => (
              <Side key={o.label} outcome={o} />
            ))}
          </div>
        ) : null}
      </div>
    </li>
  );
}

/**
 * One-click scenarios that send what a shopper's browser would send (fetch with the key and X-Fault) and
 * then read the result back from the server: orders, charges and each order's story.
 */
export function Tour() {
  const session = useSession();
  if (session === null) return <SignInPrompt what="take the tour" />;
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-2xl font-bold tracking-tight">Guided tour</h1>
        <p className="mt-1 text-sm text-slate-600">
          Each scenario pays for a real order with the test card (the jobs one redelivers finished jobs) and shows what
          the server recorded. More on the{" "}
          <Link href="/admin" className={linkText}>
            admin dashboard
          </Link>
          .
        </p>
      </header>
      <ul className="space-y-4">
        {scenarios.map((s) => (
          <ScenarioCard key={s.id} scenario={s} isAdmin={session?.isAdmin ?? false} />
        ))}
      </ul>
    </div>
  );
}
