import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { get, post, type Sent } from "./tour-http";

type Out = inferRouterOutputs<AppRouter>;
type Story = Out["orders"]["story"];
type OrderRow = Out["orders"]["list"][number];

/** One side of a scenario's result, read back from the server's records after the run. */
export type Outcome = {
  label: string;
  orders: { id: string; status: string; charged: boolean }[];
  charges: number;
  /** Which defence stopped each duplicate (from the orders' stories), or what let it through. */
  defences: string[];
  requests: string[];
  /** Job scenarios: what the consumers did with the redeliveries, from the jobs' and ledgers' rows. */
  jobs?: { redelivered: number; absorbed: number; emailsSent: number; modelCalls: number };
};

export type Scenario = {
  id: string;
  title: string;
  what: string;
  /** Needs an admin session (the broker-side redelivery is an admin tool). */
  adminOnly?: boolean;
  run: () => Promise<Outcome[]>;
};

type Cart = { items: { productId: string; quantity: number }[]; payment: { token: "tok_visa" } };

const runs = new Map<string, number>();
/**
 * Each scenario pays for its own product, one more unit on every run in this page: a new cart is a new intent,
 * so a scenario run again within the duplicate window is not taken for a repeat of the previous run.
 */
function cartFor(scenario: string, productId: string): Cart {
  const run = (runs.get(scenario) ?? 0) + 1;
  runs.set(scenario, run);
  return { items: [{ productId, quantity: run }], payment: { token: "tok_visa" } };
}

const PLACE = "checkout.placeOrder";
const key = () => crypto.randomUUID();
const keyed = (k: string, cart: Cart) => ({ idempotencyKey: k, ...cart });
const attempt = (n: number, fault?: string) => ({
  "X-Retry-Attempt": String(n),
  ...(fault ? { "X-Fault": fault } : {}),
});
const describe = (s: Sent) => `${s.status}${s.replayed ? " replayed" : ""}${s.reason ? ` ${s.reason}` : ""}`;

const defenceOf: Partial<Record<Story["steps"][number]["outcome"], string>> = {
  replayed: "idempotency key: the stored answer was replayed",
  "refused-in-flight": "idempotency lease: refused while the first attempt ran",
  "click-absorbed": "browser: the extra click was absorbed",
  "taken-over": "recovery: a retry took over the crashed attempt",
  "recovered-by-worker": "recovery worker: finished the crashed attempt",
};

const myOrders = () => get<OrderRow[]>("orders.list");
type JobsFigures = Out["admin"]["jobs"];

/** Polls every 500 ms until `done` holds for a fresh reading, or fails after the timeout. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error("the server did not get there in time");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Runs `act`, then reads what it left in the server's records: the new orders, their charges and stories. */
async function observe(label: string, act: () => Promise<Sent[]>): Promise<Outcome> {
  const before = new Set((await myOrders()).map((o) => o.id));
  const sent = await act();
  const created = (await myOrders()).filter((o) => !before.has(o.id)).reverse();
  const stories = await Promise.all(created.map((o) => get<Story>("orders.story", { id: o.id })));
  const defences = stories.flatMap((s) => s.steps.flatMap((step) => defenceOf[step.outcome] ?? []));
  // A refused second tab has no order of its own, hence no story: the server's answer names the net.
  for (const s of sent) {
    if (s.reason === "DUPLICATE_INTENT_SUSPECTED")
      defences.push("duplicate-intent net: the second tab was stopped (409)");
  }
  for (const s of stories) {
    if (s.provider && s.provider.repeatsAnswered > 0) {
      defences.push(`payment provider key: ${s.provider.repeatsAnswered} repeat answered with the original charge`);
    }
    if (s.twins && s.twins.timesCharged > 1 && s.order?.id === created[0]?.id) {
      defences.push(`none: the card was charged ${s.twins.timesCharged} times for one cart`);
    }
  }
  return {
    label,
    orders: created.map((o) => ({ id: o.id, status: o.status, charged: o.payment?.status === "SUCCEEDED" })),
    charges: created.filter((o) => o.payment?.status === "SUCCEEDED").length,
    defences,
    requests: sent.map(describe),
  };
}

/** Waits until the key's record is final (a retry or the recovery worker finishing it). */
const finalOf = (k: string) =>
  waitFor(
    () => get<{ state: string }>("checkout.status", { idempotencyKey: k }),
    (s) => s.state === "final",
  );

/** The broker redelivers the newest succeeded jobs; the consumers' inbox must absorb every one. */
async function redeliverJobs(): Promise<Outcome> {
  const jobs = () => get<JobsFigures>("admin.jobs");
  const before = await jobs();
  const res = await fetch("/api/trpc/admin.redeliverJobs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ limit: 5 }),
  });
  const body = (await res.json()) as { result?: { data?: { redelivered?: string[] } } };
  const redelivered = body.result?.data?.redelivered?.length ?? 0;
  const after = await waitFor(jobs, (j) => j.redeliveriesAbsorbed >= before.redeliveriesAbsorbed + redelivered);
  return {
    label: "Redelivered jobs",
    orders: [],
    charges: 0,
    defences:
      redelivered > 0 ? [`consumer inbox: ${redelivered} redelivered jobs found their effect already recorded`] : [],
    requests: [`${res.status}: ${redelivered} succeeded jobs put back for redelivery`],
    jobs: {
      redelivered,
      absorbed: after.redeliveriesAbsorbed - before.redeliveriesAbsorbed,
      emailsSent: after.emailsSent - before.emailsSent,
      modelCalls: after.modelCalls - before.modelCalls,
    },
  };
}

export const scenarios: Scenario[] = [
  {
    id: "double-click",
    title: "Double click, defences on and off",
    what: "Two identical Pay requests at once with one idempotency key; then a double click on another product through the unsafe baseline, without any key.",
    run: async () => [
      await observe("Defences on (one key)", async () => {
        const cart = cartFor("double-click", "espresso-beans");
        const k = key();
        // The first click is slow (300 ms), so the second surely arrives while it runs.
        const sent = await Promise.all([
          post(PLACE, keyed(k, cart), attempt(1, "delay:300")),
          post(PLACE, keyed(k, cart), attempt(1)),
        ]);
        // The loser of the race was refused in flight; its retry gets the stored answer.
        const retried = await Promise.all(
          sent.filter((s) => s.status === 409).map(() => post(PLACE, keyed(k, cart), attempt(2))),
        );
        return [...sent, ...retried];
      }),
      await observe("Defences off (no key)", async () => {
        const cart = cartFor("double-click-unsafe", "almond-biscotti");
        return Promise.all([post("checkout.placeOrderUnsafe", cart), post("checkout.placeOrderUnsafe", cart)]);
      }),
    ],
  },
  {
    id: "lost-response",
    title: "Lost response",
    what: "The server commits the order and charge, then its answer is lost (504); the retry sends the same key.",
    run: async () => [
      await observe("Retry with the same key", async () => {
        const cart = cartFor("lost-response", "travel-tumbler");
        const k = key();
        const first = await post(PLACE, keyed(k, cart), attempt(1, "lose-response"));
        return [first, await post(PLACE, keyed(k, cart), attempt(2))];
      }),
    ],
  },
  {
    id: "crash",
    title: "Crash after the charge",
    what: "The server dies right after the provider charged the card; nobody retries: the recovery worker finishes it.",
    run: async () => [
      await observe("Recovery worker", async () => {
        const cart = cartFor("crash", "digital-scale");
        const k = key();
        const first = await post(PLACE, keyed(k, cart), attempt(1, "crash-after-charge"));
        // No retry: the page only watches the key until the recovery worker has finished it.
        await finalOf(k);
        return [first];
      }),
    ],
  },
  {
    id: "two-tabs",
    title: "Two tabs",
    what: "The same cart paid from two tabs: two different keys, same items and card, one after the other.",
    run: async () => [
      await observe("Second tab", async () => {
        const cart = cartFor("two-tabs", "green-tea");
        const first = await post(PLACE, keyed(key(), cart), attempt(1));
        return [first, await post(PLACE, keyed(key(), cart), attempt(1))];
      }),
    ],
  },
  {
    id: "redelivery",
    title: "A redelivered job",
    what: "The queue delivers the 5 newest finished jobs (confirmation e-mail, fraud review) again, as a broker that lost its acknowledgements would.",
    adminOnly: true,
    run: async () => [await redeliverJobs()],
  },
];
