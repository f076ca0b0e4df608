"use client";

import { type FormEvent, useEffect, useState } from "react";
import type { ThresholdOverride } from "./types";

type Props = {
  /** The thresholds in force (configured defaults merged with the override). */
  current: { duplicateRate: number; conflictsPerMinute: number } | undefined;
  override: ThresholdOverride | undefined;
  onChange: (override: ThresholdOverride | undefined) => void;
};

/** Overrides the configured alert thresholds for this browser only (kept in localStorage by the dashboard). */
export function ThresholdsForm({ current, override, onChange }: Props) {
  const [rate, setRate] = useState("");
  const [conflicts, setConflicts] = useState("");
  useEffect(() => {
    if (!current) return;
    setRate(String(Math.round(current.duplicateRate * 1000) / 10));
    setConflicts(String(current.conflictsPerMinute));
  }, [current?.duplicateRate, current?.conflictsPerMinute, current]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const duplicateRate = Number(rate) / 100;
    const conflictsPerMinute = Number(conflicts);
    if (!Number.isFinite(duplicateRate) || duplicateRate < 0 || duplicateRate > 1) return;
    if (!Number.isInteger(conflictsPerMinute) || conflictsPerMinute < 0) return;
    onChange({ duplicateRate, conflictsPerMinute });
  };

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3 text-sm" aria-label="Alert thresholds">
      <label className="block">
        <span className="text-xs text-slate-500">Duplicate rate above (%)</span>
        <input
          name="duplicateRate"
          type="number"
          min={0}
          max={100}
          step={0.1}
          value={rate}
          onChange={(e) => setRate(e.target.value)}
          className="mt-1 block w-28 rounded-md border border-slate-300 px-2 py-1"
        />
      </label>
      <label className="block">
        <span className="text-xs text-slate-500">Conflicts per minute above</span>
        <input
          name="conflictsPerMinute"
          type="number"
          min={0}
          step={1}
          value={conflicts}
          onChange={(e) => setConflicts(e.target.value)}
          className="mt-1 block w-28 rounded-md border border-slate-300 px-2 py-1"
        />
      </label>
      <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700">
        Apply
      </button>
      {override ? (
        <button
          type="button"
          onClick={() => onChange(undefined)}
          className="rounded-md px-3 py-1.5 text-indigo-700 hover:bg-indigo-50"
        >
          Reset to configured defaults
        </button>
      ) : (
        <span className="text-xs text-slate-600">configured defaults (ADMIN_ALERT_* env)</span>
      )}
    </form>
  );
}
