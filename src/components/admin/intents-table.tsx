import { colorOf, inkOn, labelOf } from "./outcome-style";
import type { Intent } from "./types";

type Props = { intents: Intent[]; selected: string | null; onSelect: (intent: Intent) => void };

export const intentId = (i: { userId: string; key: string }) => `${i.userId}:${i.key}`;

export function IntentsTable({ intents, selected, onSelect }: Props) {
  if (intents.length === 0) return <p className="text-sm text-slate-500">No keyed requests in this window.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="intents-table">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="py-1 pr-3 font-medium">User</th>
            <th className="py-1 pr-3 font-medium">Operation</th>
            <th className="py-1 pr-3 font-medium">Key</th>
            <th className="py-1 pr-3 text-right font-medium">Attempts</th>
            <th className="py-1 pr-3 font-medium">Final outcome</th>
            <th className="py-1 font-medium">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {intents.map((i) => {
            const id = intentId(i);
            return (
              <tr
                key={id}
                data-testid="intent-row"
                data-key={i.key}
                aria-selected={selected === id}
                className={`border-t border-slate-100 ${selected === id ? "bg-indigo-50" : "hover:bg-slate-50"}`}
              >
                <td className="py-1 pr-3">{i.userName ?? i.userId}</td>
                <td className="py-1 pr-3 font-mono text-xs">{i.operation}</td>
                <td className="py-1 pr-3">
                  <button
                    type="button"
                    onClick={() => onSelect(i)}
                    className="font-mono text-xs text-indigo-700 underline-offset-2 hover:underline"
                    title="Show this key's timeline"
                  >
                    {i.key.slice(0, 8)}…
                  </button>
                </td>
                <td className="py-1 pr-3 text-right tabular-nums" data-testid="intent-attempts">
                  {i.attempts}
                  {i.clientRetries + i.clientDeduped > 0 ? (
                    <span className="ml-1 text-xs text-slate-600">
                      (+{i.clientRetries} retries, {i.clientDeduped} deduped in browser)
                    </span>
                  ) : null}
                </td>
                <td className="py-1 pr-3">
                  <span
                    className="rounded px-1.5 py-0.5 text-xs font-medium"
                    style={{ backgroundColor: colorOf(i.finalOutcome), color: inkOn(colorOf(i.finalOutcome)) }}
                  >
                    {labelOf(i.finalOutcome)}
                  </span>
                </td>
                <td className="py-1 text-xs text-slate-600">{new Date(i.lastAt).toLocaleTimeString("en-GB")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
