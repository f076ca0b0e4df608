"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { colorOf, labelOf, outcomeOrder } from "./outcome-style";
import type { Timeline } from "./types";

const clock = (t: number, bucketSeconds: number) =>
  new Date(t).toLocaleString("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    ...(bucketSeconds >= 3600 ? { day: "2-digit", month: "short" } : {}),
  });

export function OutcomesChart({ timeline }: { timeline: Timeline }) {
  const present = new Set(timeline.points.flatMap((p) => Object.keys(p.counts)));
  const outcomes = outcomeOrder.filter((o) => present.has(o));
  const data = timeline.points.map((p) => ({ t: p.t, ...p.counts }));
  const per = timeline.bucketSeconds === 60 ? "minute" : `${Math.round(timeline.bucketSeconds / 60)} minutes`;
  return (
    <figure>
      <figcaption className="mb-2 text-xs text-slate-500">Requests per {per}, stacked by outcome</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            tickFormatter={(t: number) => clock(t, timeline.bucketSeconds)}
            fontSize={11}
            minTickGap={24}
          />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip labelFormatter={(t) => clock(Number(t), timeline.bucketSeconds)} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {outcomes.map((o) => (
            <Bar key={o} dataKey={o} name={labelOf(o)} stackId="outcomes" fill={colorOf(o)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
