"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { plural } from "../plural";
import { RadioChoices } from "../radio-choices";
import { secondaryButton } from "../ui";

const faultChoices = [
  {
    value: "crash-before-save",
    label: "Crash mid-job",
    hint: "effect made (e-mail sent, model billed), then the worker dies",
  },
  {
    value: "model-timeout-after-billing",
    label: "Model timeout after billing",
    hint: "the call is paid, the answer lost",
  },
  { value: "fail", label: "Job fails", hint: "a plain error: back-off, retry, dead letter after the last attempt" },
] as const;

type Fault = (typeof faultChoices)[number]["value"];
type Armed = { fault: string; remaining: number } | null;

/**
 * Demo-only job faults (DEMO_FAULTS=on): redeliver succeeded jobs the way a broker that lost its
 * acknowledgements would, or arm a fault for the next deliveries of this instance's in-app worker.
 */
export function JobFaultControls({ armed }: { armed: Armed }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.jobs.queryKey() });
  const [fault, setFault] = useState<Fault>("crash-before-save");
  const [deliveries, setDeliveries] = useState(1);
  const [message, setMessage] = useState<string | null>(null);
  const redeliver = useMutation(
    trpc.admin.redeliverJobs.mutationOptions({
      onSuccess: ({ redelivered }) => {
        setMessage(`${plural(redelivered.length, "succeeded job")} put back for redelivery.`);
        void refresh();
      },
      onError: (error) => setMessage(`Could not redeliver: ${error.message}`),
    }),
  );
  const arm = useMutation(
    trpc.admin.armJobFault.mutationOptions({
      onSuccess: () => {
        setMessage(null);
        void refresh();
      },
      onError: (error) => setMessage(`Could not arm the fault: ${error.message}`),
    }),
  );

  return (
    <section
      aria-labelledby="job-faults-title"
      className="rounded-lg border border-dashed border-amber-400 bg-amber-50 p-3 text-sm"
      data-testid="job-fault-controls"
    >
      <h3 id="job-faults-title" className="font-semibold text-amber-900">
        Job faults (demo)
      </h3>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <button
          type="button"
          className={secondaryButton}
          aria-busy={redeliver.isPending}
          onClick={() => redeliver.mutate({ limit: 5 })}
        >
          Redeliver the 5 newest succeeded jobs
        </button>
      </div>
      <fieldset className="mt-3">
        <legend className="text-xs font-medium text-slate-800">
          Fault for the next deliveries of this instance's in-app worker (JOB_MAX_ATTEMPTS failures make a dead letter)
        </legend>
        <div className="mt-1 grid gap-1">
          <RadioChoices name="job-fault" choices={faultChoices} value={fault} onChange={setFault} />
        </div>
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <label className="flex items-center gap-1 text-xs text-slate-800">
            Deliveries
            <input
              type="number"
              min={1}
              max={20}
              value={deliveries}
              onChange={(e) => setDeliveries(Math.min(20, Math.max(1, Math.trunc(Number(e.target.value)) || 1)))}
              className="w-16 rounded-md border border-slate-300 px-2 py-1 tabular-nums"
            />
          </label>
          <button
            type="button"
            className={secondaryButton}
            aria-busy={arm.isPending}
            onClick={() => arm.mutate({ fault, deliveries })}
          >
            Arm
          </button>
          {armed ? (
            <button type="button" className={secondaryButton} onClick={() => arm.mutate({ fault: null })}>
              Disarm
            </button>
          ) : null}
        </div>
      </fieldset>
      <p className="mt-2 text-xs text-slate-700" data-testid="job-fault-armed" aria-live="polite">
        {armed ? (
          <>
            Armed: <code>{armed.fault}</code> for the next {armed.remaining} deliver
            {armed.remaining === 1 ? "y" : "ies"}
          </>
        ) : (
          "No job fault armed."
        )}
      </p>
      {message ? (
        <p className="mt-1 text-xs text-slate-700" role="status" data-testid="job-fault-message">
          {message}
        </p>
      ) : null}
    </section>
  );
}
