import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { catalog } from "@/server/catalog/seed-catalog";
import { APPROVED_CARD, DECLINED_CARD, type FaultName, OPERATIONS } from "../../src/shared/names";
import { signIn, type Target } from "./http";
import { type AttemptKind, type CallOutcome, callWithRetries, type RetryPolicy } from "./retrying-client";
import { type LatencySummary, localShuffle, summarize } from "./stats";

/** Products the storm buys: the catalog but the three-piece "last-one", which is left to the stock-race demo. */
const stormProducts = catalog.map((p) => p.id).filter((id) => id !== "last-one");
const MAX_QUANTITY = 10;
/** Distinct one-line carts per shopper, so no intent of a shopper looks like a duplicate of another. */
const CARTS_PER_SHOPPER = stormProducts.length * MAX_QUANTITY;

/** The n-th of a shopper's distinct one-line carts (n modulo CARTS_PER_SHOPPER); neighbours buy different products. */
export const cartAt = (n: number): { productId: string; quantity: number }[] => [
  {
    productId: stormProducts[n % stormProducts.length] ?? "ceramic-mug",
    quantity: 1 + (Math.floor(n / stormProducts.length) % MAX_QUANTITY),
  },
];

const FAULTS = [
  "lose-response",
  "provider-timeout-after-charge",
  "crash-after-charge",
] as const satisfies readonly FaultName[];

export const PLACE_ORDER = OPERATIONS.placeOrder;
export const PLACE_ORDER_UNSAFE = OPERATIONS.placeOrderUnsafe;

export type StormOptions = {
  targets: Target[];
  procedure: string;
  intents: number;
  /** How many times each intent is sent with the same key (double clicks, tabs, retries of other clients). */
  copies: number;
  /** Copies in flight at once, each with its own retry loop (backoff sleeps included). */
  concurrency: number;
  /** Share of copies whose first attempt carries an X-Fault. */
  faultShare: number;
  /** Share of intents paid with the declined test card (a final PAYMENT_FAILED order, not an error). */
  declinedShare: number;
  shoppers: number;
  /** Shopper names start with it, so the database figures of this storm can be told apart. */
  namePrefix: string;
  policy: RetryPolicy;
  /** Spread the intents' start over this many ms (the chaos test keeps a storm going while it kills); 0 = flat out. */
  spreadMs?: number;
  /** Hard bound on the storm: copies not started by then are reported as not run. */
  maxMs: number;
  random?: () => number;
  /** Called after each finished copy. */
  onProgress?: (done: number, total: number) => void;
};

export type Intent = {
  index: number;
  shopper: string;
  cookie: string;
  body: { idempotencyKey: string; items: { productId: string; quantity: number }[]; payment: { token: string } };
};

/**
 * What goes on the wire: the protected procedure takes the key in its input; the unsafe baseline takes the
 * same request without it (its input is the bare order request and refuses unknown fields).
 */
export const bodyFor = (procedure: string, intent: Intent): unknown =>
  procedure === PLACE_ORDER_UNSAFE ? { items: intent.body.items, payment: intent.body.payment } : intent.body;

type CopyResult = { intent: number; fault: string | null; outcome: CallOutcome };

export type StormSummary = {
  procedure: string;
  intents: number;
  copies: number;
  concurrency: number;
  shoppers: number;
  durationMs: number;
  /** HTTP requests sent (every attempt of every copy). */
  requests: number;
  requestsPerSecond: number;
  finals: { ok: number; refused: number; gaveUp: number; notRun: number };
  attempts: Record<AttemptKind, number>;
  faultsInjected: Record<string, number>;
  refusedReasons: Record<string, number>;
  latency: {
    executed: LatencySummary;
    replayed: LatencySummary;
    allAttempts: LatencySummary;
    endToEnd: LatencySummary;
  };
  /** Intents whose copies were answered with more than one order id: a duplicate the client can see. */
  intentsWithSeveralOrderIds: number;
};

export type StormResult = { summary: StormSummary; intents: Intent[]; results: CopyResult[] };

/** Signs in the shoppers (spread over the instances) and builds their distinct intents. */
export async function prepareIntents(options: StormOptions): Promise<Intent[]> {
  const random = options.random ?? Math.random;
  const shoppers = Math.max(options.shoppers, Math.ceil(options.intents / CARTS_PER_SHOPPER), 1);
  const names = Array.from({ length: shoppers }, (_, i) => `${options.namePrefix}${i}`);
  const cookies = await mapLimit(names, options.concurrency, (name) => signIn(pickRandom(options.targets), name));
  return Array.from({ length: options.intents }, (_, index) => {
    const shopper = index % shoppers;
    const local = Math.floor(index / shoppers);
    // Offset by shopper: intents in flight together buy different products (no single hot stock row).
    const productId = stormProducts[(local + shopper) % stormProducts.length] ?? "ceramic-mug";
    const quantity = 1 + (Math.floor(local / stormProducts.length) % MAX_QUANTITY);
    return {
      index,
      shopper: names[shopper] ?? "",
      cookie: cookies[shopper] ?? "",
      body: {
        idempotencyKey: randomUUID(),
        items: [{ productId, quantity }],
        payment: { token: random() < options.declinedShare ? DECLINED_CARD : APPROVED_CARD },
      },
    };
  });
}

/** Sends every intent `copies` times with its key, each copy retrying until a final answer. */
export async function runStorm(options: StormOptions, intents: Intent[]): Promise<StormResult> {
  const random = options.random ?? Math.random;
  const spread = options.spreadMs ?? 0;
  type Copy = { intent: Intent; fault: string | null; notBefore: number };
  let copies: Copy[] = intents.flatMap((intent) =>
    Array.from({ length: options.copies }, (_, c) => ({
      intent,
      fault: random() < options.faultShare ? (FAULTS[Math.floor(random() * FAULTS.length)] ?? null) : null,
      notBefore: spread > 0 ? (intent.index / intents.length) * spread + (c > 0 ? random() * 500 : 0) : 0,
    })),
  );
  copies =
    spread > 0 ? copies.sort((a, b) => a.notBefore - b.notBefore) : localShuffle(copies, options.concurrency * 4);

  const results: CopyResult[] = [];
  const started = performance.now();
  const deadline = started + options.maxMs;
  let next = 0;
  let notRun = 0;
  const worker = async () => {
    for (;;) {
      const copy = copies[next++];
      if (!copy) return;
      const wait = started + copy.notBefore - performance.now();
      if (wait > 0) await sleep(wait);
      if (performance.now() > deadline) {
        notRun++;
        continue;
      }
      const outcome = await callWithRetries({
        pick: () => pickRandom(options.targets, random),
        path: `/api/trpc/${options.procedure}`,
        cookie: copy.intent.cookie,
        body: bodyFor(options.procedure, copy.intent),
        fault: copy.fault ?? undefined,
        policy: options.policy,
      });
      results.push({ intent: copy.intent.index, fault: copy.fault, outcome });
      options.onProgress?.(results.length + notRun, copies.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const durationMs = performance.now() - started;
  return { summary: summarizeStorm(options, intents, results, durationMs, notRun), intents, results };
}

function summarizeStorm(
  options: StormOptions,
  intents: Intent[],
  results: CopyResult[],
  durationMs: number,
  notRun: number,
): StormSummary {
  const attempts: Record<AttemptKind, number> = {
    executed: 0,
    replayed: 0,
    "in-progress": 0,
    transient: 0,
    crashed: 0,
    lost: 0,
    network: 0,
    refused: 0,
  };
  const executed: number[] = [];
  const replayed: number[] = [];
  const all: number[] = [];
  const faultsInjected: Record<string, number> = {};
  const refusedReasons: Record<string, number> = {};
  const orderIds = new Map<number, Set<string>>();
  const finals = { ok: 0, refused: 0, gaveUp: 0, notRun };
  for (const { intent, fault, outcome } of results) {
    if (fault) faultsInjected[fault] = (faultsInjected[fault] ?? 0) + 1;
    for (const a of outcome.attempts) {
      attempts[a.kind]++;
      all.push(a.ms);
      if (a.kind === "executed") executed.push(a.ms);
      if (a.kind === "replayed") replayed.push(a.ms);
    }
    if (outcome.kind === "ok") finals.ok++;
    else if (outcome.kind === "refused") finals.refused++;
    else finals.gaveUp++;
    if (outcome.kind !== "ok") {
      const reason = `${outcome.kind}:${outcome.status ?? "network"}:${outcome.reason ?? "-"}`;
      refusedReasons[reason] = (refusedReasons[reason] ?? 0) + 1;
    }
    const orderId = outcome.data?.orderId;
    if (typeof orderId === "string") {
      const set = orderIds.get(intent) ?? new Set<string>();
      set.add(orderId);
      orderIds.set(intent, set);
    }
  }
  const requests = all.length;
  const shoppers = new Set(intents.map((i) => i.shopper)).size;
  return {
    procedure: options.procedure,
    intents: intents.length,
    copies: options.copies,
    concurrency: options.concurrency,
    shoppers,
    durationMs: Math.round(durationMs),
    requests,
    requestsPerSecond: Math.round((requests / durationMs) * 1000 * 10) / 10,
    finals,
    attempts,
    faultsInjected,
    refusedReasons,
    latency: {
      executed: summarize(executed),
      replayed: summarize(replayed),
      allAttempts: summarize(all),
      endToEnd: summarize(results.map((r) => r.outcome.ms)),
    },
    intentsWithSeveralOrderIds: [...orderIds.values()].filter((s) => s.size > 1).length,
  };
}

export const pickRandom = <T>(items: readonly T[], random: () => number = Math.random): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pickRandom: empty list");
  return item;
};

/** Maps with at most `limit` calls in flight, keeping the order of the inputs. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
