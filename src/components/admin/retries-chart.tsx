"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Retries } from "./types";

export function RetriesChart({ retries }: { retries: Retries }) {
  return (
    <figure>
      <figcaption className="mb-2 text-xs text-slate-500">Intents by number of requests (1 = no retry)</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={retries.buckets} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip
            formatter={(v) => [v, "intents"]}
            labelFormatter={(l) => (l === "1" ? "1 request" : `${l} requests`)}
          />
          <Bar dataKey="intents" fill="#4f46e5" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
