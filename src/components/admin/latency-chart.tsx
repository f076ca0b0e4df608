"use client";

import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { plural } from "../plural";
import type { Latency } from "./types";

const series = [
  { outcome: "EXECUTED", title: "Executed", color: "#16a34a" },
  { outcome: "REPLAYED", title: "Replayed", color: "#4f46e5" },
] as const;

/**
 * One small chart per outcome, each on its own scale: replays take milliseconds and executions seconds,
 * so on one shared axis every replay bar would be flat against zero.
 */
export function LatencyChart({ latency }: { latency: Latency }) {
  return (
    <figure>
      <figcaption className="mb-2 text-xs text-slate-500">Latency percentiles in ms, each on its own scale</figcaption>
      <div className="grid grid-cols-2 gap-2">
        {series.map(({ outcome, title, color }) => {
          const s = latency.find((l) => l.outcome === outcome);
          const data = (["p50", "p95", "p99"] as const).map((p) => ({ p, ms: s?.[p] ?? null }));
          return (
            <div key={outcome} data-testid={`latency-${outcome}`}>
              <p className="text-xs font-medium text-slate-600">
                {title} <span className="font-normal text-slate-600">({plural(s?.count ?? 0, "request")})</span>
              </p>
              <ResponsiveContainer width="100%" height={160}>
                <BarChart data={data} margin={{ top: 16, right: 4, bottom: 0, left: -24 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="p" fontSize={11} />
                  <YAxis fontSize={10} width={56} allowDecimals={false} />
                  <Tooltip formatter={(v) => [`${v} ms`, title]} />
                  <Bar dataKey="ms" fill={color} isAnimationActive={false}>
                    <LabelList dataKey="ms" position="top" fontSize={10} />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
          );
        })}
      </div>
      <table className="mt-2 w-full text-xs tabular-nums" data-testid="latency-table">
        <thead className="text-slate-500">
          <tr>
            <th className="text-left font-medium">outcome</th>
            <th className="text-right font-medium">n</th>
            <th className="text-right font-medium">p50</th>
            <th className="text-right font-medium">p95</th>
            <th className="text-right font-medium">p99</th>
          </tr>
        </thead>
        <tbody>
          {latency.map((s) => (
            <tr key={s.outcome}>
              <td>{s.outcome.toLowerCase()}</td>
              <td className="text-right">{s.count}</td>
              <td className="text-right">{s.p50 ?? "—"}</td>
              <td className="text-right">{s.p95 ?? "—"}</td>
              <td className="text-right">{s.p99 ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
