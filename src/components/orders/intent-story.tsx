"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/react";
import { plural } from "../plural";
import { linkText, panel } from "../ui";

type Story = inferRouterOutputs<AppRouter>["orders"]["story"];
type Step = Story["steps"][number];

const outcomeText: Record<Step["outcome"], string> = {
  executed: "Executed: order placed and card charged",
  "response-lost": "Executed, but the answer was lost on the way",
  replayed: "Replayed the stored answer: nothing ran again",
  "refused-in-flight": "Refused in flight: an earlier attempt still held the lease",
  "taken-over": "Took over the crashed attempt and finished it",
  resumed: "Resumed the attempt that had failed transiently",
  "recovered-by-worker": "Recovered by the worker: the crashed attempt finished",
  "resumed-by-worker": "Resumed by the worker after a transient failure",
  crashed: "The server died mid-request",
  "transient-failure": "Failed transiently, nothing lost",
  "duplicate-suspected": "Held back: looked like a duplicate of another tab",
  refused: "Refused",
  failed: "Failed",
  "unsafe-executed": "Executed without any defence",
  "click-absorbed": "Extra click absorbed in the browser: no request sent",
  "browser-retry": "The browser decided to retry with the same key",
};

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
  });

function Steps({ steps }: { steps: Step[] }) {
  if (steps.length === 0) return null;
  return (
    <ol className="mt-3 space-y-2" aria-label="Attempts">
      {steps.map((s, i) => (
        <li
          // Steps have no id of their own; their order is fixed by time.
          // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list that never reorders
          key={i}
          data-testid="story-step"
          data-outcome={s.outcome}
          data-by={s.by}
          className="grid grid-cols-[6.5rem_1fr] gap-x-3 text-sm"
        >
          <span className="tabular-nums text-slate-600">{time(s.at)}</span>
          <span>
            <span className="font-medium">{outcomeText[s.outcome]}</span>
            <span className="text-slate-600">
              {" · "}
              {s.by === "recovery worker"
                ? "recovery worker"
                : s.by === "browser"
                  ? "in your browser"
                  : `attempt ${s.attempt}`}
              {s.httpStatus ? ` · HTTP ${s.httpStatus}` : ""}
            </span>
            {s.cause ? <span className="block text-xs text-slate-600">Why: {s.cause}</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

function Twins({ story }: { story: Story }) {
  const twins = story.twins;
  if (!twins) return null;
  return (
    <div data-testid="unsafe-twins" className="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm">
      <p className="font-semibold text-red-800" data-testid="times-charged">
        Placed without the defences: your card was charged {plural(twins.timesCharged, "time")} for this cart.
      </p>
      {twins.orders.length > 0 ? (
        <>
          <p className="mt-1 text-red-800">The same cart and card, ordered again within the duplicate window:</p>
          <ul className="mt-1 list-disc pl-5">
            {twins.orders.map((t) => (
              <li key={t.id} data-testid="twin">
                <Link href={`/orders/${t.id}`} className={`${linkText} font-mono`}>
                  Order {t.id.slice(-8)}
                </Link>{" "}
                {t.charged ? "charged" : "not charged"} · {time(t.createdAt)}
              </li>
            ))}
          </ul>
          {twins.more > 0 ? <p className="mt-1 text-red-800">and {plural(twins.more, "more order")}</p> : null}
        </>
      ) : (
        <p className="mt-1 text-red-800">No other order of this cart within the duplicate window.</p>
      )}
    </div>
  );
}

/** The story itself: who did what to this intent, from the server's records. */
function IntentStoryView({ story }: { story: Story }) {
  const { intent, provider, browser } = story;
  return (
    <section className={panel} aria-labelledby="intent-story-title" data-testid="intent-story">
      <h2 id="intent-story-title" className="text-lg font-semibold">
        How this order came to be
      </h2>
      <dl className="mt-3 grid grid-cols-[10rem_1fr] gap-y-1 text-sm">
        <dt className="text-slate-600">Intent key</dt>
        <dd className="font-mono break-all">{intent ? intent.key : "none (placed without an idempotency key)"}</dd>
        {intent ? (
          <>
            <dt className="text-slate-600">Recovery point</dt>
            <dd data-testid="story-recovery-point">
              <ol className="flex flex-wrap gap-1" aria-label="Recovery points">
                {intent.points.map((p) => (
                  <li
                    key={p.name}
                    data-reached={p.reached}
                    className={`rounded px-1.5 py-0.5 text-xs ${p.reached ? "bg-emerald-100 text-emerald-900" : "bg-slate-100 text-slate-600"}`}
                  >
                    {p.reached ? "✓ " : ""}
                    {p.name}
                  </li>
                ))}
              </ol>
            </dd>
            <dt className="text-slate-600">Executions</dt>
            <dd data-testid="story-executions">{intent.executions}</dd>
          </>
        ) : null}
        {intent ? (
          <>
            <dt className="text-slate-600">In your browser</dt>
            <dd data-testid="story-browser">
              {plural(browser.clicksAbsorbed, "extra click")} absorbed, {plural(browser.retries, "retry", "retries")}
            </dd>
          </>
        ) : null}
        <dt className="text-slate-600">Payment provider</dt>
        <dd data-testid="story-provider">
          {provider ? (
            <>
              {provider.key ? (
                <>
                  key <code className="break-all">{provider.key}</code>,{" "}
                </>
              ) : null}
              charge <code>{provider.chargeId}</code> ({provider.status.toLowerCase()}).{" "}
              {provider.repeatsAnswered > 0
                ? `The provider answered ${plural(provider.repeatsAnswered, "repeated call")} with this original charge: no second charge.`
                : provider.key
                  ? "Called once."
                  : ""}
            </>
          ) : (
            "No charge."
          )}
        </dd>
      </dl>
      <Steps steps={story.steps} />
      {story.truncated ? <p className="mt-2 text-xs text-slate-600">Only the first attempts are listed.</p> : null}
      <Twins story={story} />
    </section>
  );
}

/** Under an order: its story, refreshed while the order is still being finished. */
export function OrderStory({ orderId, pending }: { orderId: string; pending: boolean }) {
  const trpc = useTRPC();
  const story = useQuery({
    ...trpc.orders.story.queryOptions({ id: orderId }),
    refetchInterval: pending ? 1_000 : false,
  });
  if (story.isPending) return <p className="text-sm text-slate-600">Loading how this order came to be…</p>;
  if (story.isError)
    return (
      <p role="alert" className="text-sm text-red-700">
        Could not load this order's story: {story.error.message}
      </p>
    );
  return <IntentStoryView story={story.data} />;
}

/** The dashboard's view of any recent intent: the same story the shopper sees. */
export function AdminIntentStory({ userId, keyValue }: { userId: string; keyValue: string }) {
  const trpc = useTRPC();
  const story = useQuery(trpc.admin.intentStory.queryOptions({ userId, key: keyValue }, { refetchInterval: 3_000 }));
  if (story.isPending) return <p className="text-sm text-slate-600">Loading the story…</p>;
  if (story.isError)
    return (
      <p role="alert" className="text-sm text-red-700">
        {story.error.message}
      </p>
    );
  return (
    <div>
      {story.data.order ? (
        <p className="mb-1 text-xs text-slate-600">
          Order <code>{story.data.order.id}</code> ({story.data.order.status})
        </p>
      ) : null}
      <IntentStoryView story={story.data} />
    </div>
  );
}
