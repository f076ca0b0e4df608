"use client";

import { useQuery } from "@tanstack/react-query";
import { formatCents } from "@/client/money";
import { useTRPC } from "@/trpc/react";
import { colorOf, inkOn, labelOf } from "./outcome-style";

type Props = { userId: string; keyValue: string; onClose: () => void };

/** Every event of one (user, key), oldest first. */
export function IntentTimeline({ userId, keyValue, onClose }: Props) {
  const trpc = useTRPC();
  const events = useQuery(
    trpc.admin.events.queryOptions({ key: keyValue, userId, limit: 200 }, { refetchInterval: 3_000 }),
  );
  return (
    <div data-testid="intent-timeline" className="rounded-lg border border-indigo-200 bg-indigo-50/40 p-3">
      <div className="mb-2 flex items-center gap-2">
        <h3 className="text-sm font-semibold">
          Timeline of <code className="text-xs">{keyValue}</code>
        </h3>
        <button type="button" onClick={onClose} className="ml-auto text-xs text-indigo-700 hover:underline">
          Close
        </button>
      </div>
      {events.isPending ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {events.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {events.error.message}
        </p>
      ) : null}
      <ol className="space-y-1">
        {[...(events.data ?? [])].reverse().map((e) => (
          <li key={e.id} data-testid="timeline-event" className="flex flex-wrap items-center gap-2 text-xs">
            <span className="w-28 tabular-nums text-slate-500">
              {new Date(e.createdAt).toLocaleTimeString("en-GB", {
                hour: "2-digit",
                minute: "2-digit",
                second: "2-digit",
                fractionalSecondDigits: 3,
              })}
            </span>
            <span
              className="rounded px-1.5 py-0.5 font-medium"
              style={{ backgroundColor: colorOf(e.outcome), color: inkOn(colorOf(e.outcome)) }}
            >
              {labelOf(e.outcome)}
            </span>
            <span className="tabular-nums">HTTP {e.httpStatus || "—"}</span>
            <span className="text-slate-500">attempt {e.attempt}</span>
            <span className="text-slate-500">{e.latencyMs} ms</span>
            {e.reason ? <code className="text-slate-500">{e.reason}</code> : null}
            {e.amountCents ? <span className="text-emerald-700">{formatCents(e.amountCents)} protected</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
