"use client";

import { RadioChoices } from "../radio-choices";
import { faultChoices } from "./faults";

type Props = {
  fault: string;
  onFault: (fault: string) => void;
  dedupe: boolean;
  onDedupe: (on: boolean) => void;
  useKey: boolean;
  onUseKey: (on: boolean) => void;
};

/** Demo controls, shown only when the server honours X-Fault (DEMO_FAULTS=on). */
export function DemoControls({ fault, onFault, dedupe, onDedupe, useKey, onUseKey }: Props) {
  return (
    <section aria-labelledby="demo-title" className="rounded-xl border border-dashed border-amber-400 bg-amber-50 p-5">
      <h2 id="demo-title" className="font-semibold text-amber-900">
        Demo controls
      </h2>
      <fieldset className="mt-3">
        <legend className="text-sm font-medium text-slate-800">Fault for the next attempt</legend>
        <div className="mt-2 grid gap-1.5 sm:grid-cols-2">
          <RadioChoices name="fault" choices={faultChoices} value={fault} onChange={onFault} />
        </div>
      </fieldset>
      <fieldset className="mt-4">
        <legend className="text-sm font-medium text-slate-800">Defences</legend>
        <label className="mt-2 flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            checked={dedupe}
            onChange={(e) => onDedupe(e.target.checked)}
            className="mt-0.5 accent-indigo-600"
          />
          <span>
            Client in-flight dedupe
            <span className="block text-xs text-slate-600">off: every click sends a request</span>
          </span>
        </label>
        <label className="mt-2 flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            checked={useKey}
            onChange={(e) => onUseKey(e.target.checked)}
            className="mt-0.5 accent-indigo-600"
          />
          <span>
            Idempotency key
            <span className="block text-xs text-slate-600">
              off: calls the UNSAFE baseline <code>checkout.placeOrderUnsafe</code>, no key, no replay
            </span>
          </span>
        </label>
        {!useKey ? (
          <p role="alert" className="mt-3 rounded-md bg-red-100 p-2 text-sm font-medium text-red-800">
            Unsafe mode: no idempotency key. If a response is lost, the automatic retry is a new order and can charge
            the card twice; with dedupe off too, so does a double click.
          </p>
        ) : null}
      </fieldset>
    </section>
  );
}
