"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { plural } from "../plural";
import { RadioChoices } from "../radio-choices";
import { secondaryButton } from "../ui";
import { MAX_ARMED_DELIVERIES, parseDeliveries } from "./deliveries-field";

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
  const [deliveriesText, setDeliveriesText] = useState("1");
  const deliveries = parseDeliveries(deliveriesText);
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
          Fault for the next deliveries of this instance's in-app worker, whichever job each one carries
        </legend>
        <p className="mt-1 text-xs text-slate-700" data-testid="job-fault-note">
          Each armed delivery fails whichever job it carries, and an order has two jobs (confirmation e-mail, fraud
          review): a job becomes a dead letter once JOB_MAX_ATTEMPTS of its own deliveries have failed, so with no other
          jobs waiting it takes twice JOB_MAX_ATTEMPTS armed deliveries to make both of an order's jobs dead.
        </p>
        <div className="mt-1 grid gap-1">
          <RadioChoices name="job-fault" choices={faultChoices} value={fault} onChange={setFault} />
        </div>
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <label className="flex items-center gap-1 text-xs text-slate-800">
            Deliveries
            <input
              type="number"
              min={1}
              max={MAX_ARMED_DELIVERIES}
              step={1}
              value={deliveriesText}
              onChange={(e) => setDeliveriesText(e.target.value)}
              aria-invalid={deliveries === null}
              aria-describedby={deliveries === null ? "job-fault-deliveries-error" : undefined}
              className="w-16 rounded-md border border-slate-300 px-2 py-1 tabular-nums"
            />
          </label>
          <button
            type="button"
            className={secondaryButton}
            aria-busy={arm.isPending}
            disabled={deliveries === null}
            onClick={() => {
              if (deliveries !== null) arm.mutate({ fault, deliveries });
            }}
          >
            Arm
          </button>
          {deliveries === null ? (
            <span id="job-fault-deliveries-error" className="text-xs text-red-700" role="alert">
              Deliveries: a whole number from 1 to {MAX_ARMED_DELIVERIES}.
            </span>
          ) : null}
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
