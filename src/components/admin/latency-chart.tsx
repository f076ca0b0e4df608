"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Latency } from "./types";

export function LatencyChart({ latency }: { latency: Latency }) {
  const data = (["p50", "p95", "p99"] as const).map((p) => ({
    p,
    executed: latency.find((s) => s.outcome === "EXECUTED")?.[p] ?? 0,
    replayed: latency.find((s) => s.outcome === "REPLAYED")?.[p] ?? 0,
  }));
  const counts = latency.map((s) => `${s.outcome.toLowerCase()} n=${s.count}`).join(", ");
  return (
    <figure>
      <figcaption className="mb-2 text-xs text-slate-500">Latency in ms ({counts})</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="p" fontSize={11} />
          <YAxis fontSize={11} unit=" ms" width={70} />
          <Tooltip formatter={(v) => `${v} ms`} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          <Bar dataKey="executed" name="Executed" fill="#16a34a" isAnimationActive={false} />
          <Bar dataKey="replayed" name="Replayed" fill="#4f46e5" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
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
