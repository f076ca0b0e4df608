import { z } from "zod";
import { HEADERS, OPERATIONS } from "@/shared/names";
import { REASON } from "@/shared/reasons";
import { type CallHeaders, type ClientReport, IdempotentMutation } from "./idempotent-mutation";
import { type CheckoutIntent, checkoutFingerprint, type IntentKeyStore } from "./intent-key";
import { type Failure, isLostAnswer, RetriesExhausted, type RetryNotice } from "./retry-policy";
import type { RouterOutputs } from "./router-outputs";
import { errorField, failureOf } from "./trpc-failure";
import type { KeyStatusView } from "./watch-key";

/** checkout.placeOrder's answer, as the router declares it. */
export type PlacedOrder = RouterOutputs["checkout"]["placeOrder"];

type PlaceOrderInput = { items: CheckoutIntent["items"]; payment: { token: CheckoutIntent["token"] } };

/** One attempt on the wire: per-call headers in, the HTTP status of the answer out. */
export type Sent = { order: PlacedOrder; status: number };

/** What the checkout needs from the network; the browser wires it to the tRPC client, tests to fakes. */
export type CheckoutTransport = {
  placeOrder(
    input: PlaceOrderInput & { idempotencyKey: string; confirmDuplicate?: boolean },
    headers: CallHeaders,
  ): Promise<Sent>;
  placeOrderUnsafe(input: PlaceOrderInput, headers: CallHeaders): Promise<Sent>;
  /** checkout.status: read-only, what became of one of the shopper's keys. */
  status(key: string): Promise<KeyStatusView>;
  /** Fire and forget: a lost report must never disturb the checkout. */
  report(report: ClientReport): void;
};

type AttemptOutcome =
  | "in-flight"
  | "created"
  | "declined"
  | "replayed"
  | "lost"
  | "in-progress"
  | "busy"
  | "refused"
  | "duplicate";

/**
 * One row of the intent timeline under the pay button. An attempt is reported twice with the same id:
 * when it leaves ("in-flight") and when its answer (or the lack of one) is known.
 */
export type AttemptRecord = {
  id: number;
  attempt: number;
  key: string | null;
  fault: string | null;
  outcome: AttemptOutcome | "deduped";
  status: number | null;
  reason: string | null;
  latencyMs: number;
};

/** The timeline with one more report: an attempt's answer replaces its in-flight row; at most `max` rows. */
export function withAttempt(rows: AttemptRecord[], r: AttemptRecord, max = 20): AttemptRecord[] {
  return rows.some((x) => x.id === r.id) ? rows.map((x) => (x.id === r.id ? r : x)) : [...rows.slice(1 - max), r];
}

export type SubmitOutcome =
  | { kind: "placed"; order: PlacedOrder }
  /** A suspected duplicate intent: an earlier order, or another key of this intent still in progress. */
  | { kind: "duplicate"; orderId: string | null; inProgressKey: string | null }
  /** A final refusal (4xx): nothing was written for this key, which is dropped. */
  | { kind: "refused"; status: number; reason: string | null; message: string }
  /** No final answer (retries exhausted, server error): the key is kept, paying again resumes it. */
  | { kind: "unknown"; attempts: number; message: string };

export type SubmitOptions = {
  /** Defence switch: off sends every submit, even while the same intent is pending. */
  dedupe: boolean;
  /** Defence switch: off calls the unsafe baseline with no idempotency key at all. */
  useKey: boolean;
  /** Demo fault for the first attempt of this submit only (X-Fault); retries go clean. */
  fault: string | null;
  confirmDuplicate?: boolean;
  onAttempt?: (record: AttemptRecord) => void;
  onRetry?: (notice: CheckoutRetryNotice) => void;
};

/** keyed: false when the retry resends the unsafe, keyless request (which can charge twice). */
export type CheckoutRetryNotice = RetryNotice & { keyed: boolean };

/** What watching a key after the retries ends in: its final outcome, or why the watch stopped. */
export type WatchOutcome =
  | Extract<SubmitOutcome, { kind: "placed" | "refused" }>
  | { kind: "not-recorded" }
  | { kind: "gave-up"; waitedMs: number }
  | { kind: "stopped" };

export type CheckoutDeps = {
  keys: IntentKeyStore<CheckoutIntent>;
  transport: CheckoutTransport;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  now?: () => number;
  /** The watch's wait between status calls (cut short when the page goes away). */
  watchSleep?: (ms: number, signal: AbortSignal) => Promise<void>;
};

const outcomeOfFailure = (failure: Failure): AttemptOutcome => {
  if (failure.kind === "network" || isLostAnswer(failure)) return "lost";
  if (failure.status === 409 && failure.reason === REASON.REQUEST_IN_PROGRESS) return "in-progress";
  if (failure.status === 409 && failure.reason === REASON.DUPLICATE_INTENT_SUSPECTED) return "duplicate";
  if (failure.status === 503) return "busy";
  return "refused";
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const storedOrder = z.object({
  orderId: z.string(),
  status: z.enum(["PAID", "PAYMENT_FAILED"]),
  totalCents: z.number(),
  chargeId: z.string(),
});
const storedRefusal = z.object({ message: z.string().optional(), reason: z.string().optional() });

/** A final answer as the server stored it, seen as what the submit would have returned. */
function outcomeOfStored(status: number, body: unknown): Extract<SubmitOutcome, { kind: "placed" | "refused" }> {
  const order = storedOrder.safeParse(body);
  if (status < 400 && order.success) return { kind: "placed", order: { ...order.data, replayed: true } };
  const refusal = storedRefusal.safeParse(body);
  return {
    kind: "refused",
    status,
    reason: refusal.success ? (refusal.data.reason ?? null) : null,
    message: (refusal.success ? refusal.data.message : undefined) ?? `the shop answered ${status}`,
  };
}

/**
 * The browser side of checkout.placeOrder: one key per intent, in-flight dedupe, safe retries, and the
 * reports of what it prevented. UI-free, so every path is unit-tested without a browser.
 */
export class CheckoutClient {
  private readonly mutation: IdempotentMutation<SubmitOutcome>;
  private readonly now: () => number;
  private nextAttemptId = 0;

  constructor(private readonly deps: CheckoutDeps) {
    this.now = deps.now ?? (() => performance.now());
    this.mutation = new IdempotentMutation(OPERATIONS.placeOrder, {
      report: (report) => deps.transport.report(report),
      random: deps.random,
      sleep: deps.sleep,
      now: this.now,
      status: (key) => deps.transport.status(key),
      watchSleep: deps.watchSleep,
    });
  }

  /** The key this intent already has in this tab (submitted, outcome not final), if any. */
  pendingKey(intent: CheckoutIntent): string | null {
    return this.deps.keys.current(intent)?.key ?? null;
  }

  /** An intent of this cart submitted in this tab with no final outcome yet: resumed after a reload. */
  unresolvedFor(items: CheckoutIntent["items"]): CheckoutIntent | null {
    for (const entry of this.deps.keys.unresolved()) {
      if (checkoutFingerprint({ items, token: entry.intent.token }) === entry.fingerprint) return entry.intent;
    }
    return null;
  }

  /** The shopper gave the intent up (e.g. viewed the earlier order instead of placing it again). */
  forget(intent: CheckoutIntent): void {
    this.deps.keys.drop(intent);
  }

  isPending(intent: CheckoutIntent, options: Pick<SubmitOptions, "useKey">): boolean {
    return this.mutation.isPending(this.slot(intent, options.useKey));
  }

  submit(intent: CheckoutIntent, options: SubmitOptions): { promise: Promise<SubmitOutcome>; deduped: boolean } {
    const start = () => (options.useKey ? this.runKeyed(intent, options) : this.runUnsafe(intent, options));
    if (!options.dedupe) return { promise: start(), deduped: false };
    const pendingKey = () => (options.useKey ? this.pendingKey(intent) : null);
    const run = this.mutation.dedupe(this.slot(intent, options.useKey), start, pendingKey);
    if (run.deduped) {
      options.onAttempt?.({
        id: ++this.nextAttemptId,
        attempt: 0,
        key: pendingKey(),
        fault: null,
        outcome: "deduped",
        status: null,
        reason: null,
        latencyMs: 0,
      });
    }
    return run;
  }

  /**
   * When the retries are spent (or after a reload), asks checkout.status about the intent's key until it
   * is final: read-only, it never sends the payment again. A final answer ends the intent like a submit's.
   */
  async watch(intent: CheckoutIntent, signal: AbortSignal): Promise<WatchOutcome> {
    const key = this.pendingKey(intent);
    if (!key) return { kind: "not-recorded" };
    const outcome = await this.watchKey(key, signal);
    if (outcome.kind === "placed" || outcome.kind === "refused") this.deps.keys.drop(intent);
    return outcome;
  }

  /**
   * Watches another key of the shopper's (the other tab's attempt a suspected duplicate named) until it is
   * final: this tab then shows that order instead of placing a second one.
   */
  watchOther(key: string, signal: AbortSignal): Promise<WatchOutcome> {
    return this.watchKey(key, signal);
  }

  private async watchKey(key: string, signal: AbortSignal): Promise<WatchOutcome> {
    const result = await this.mutation.watch(key, signal);
    switch (result.kind) {
      case "final":
        return outcomeOfStored(result.status, result.body);
      case "unknown":
        return { kind: "not-recorded" };
      default:
        return result;
    }
  }

  private slot(intent: CheckoutIntent, useKey: boolean): string {
    return `${useKey ? "keyed" : "unsafe"}:${checkoutFingerprint(intent)}`;
  }

  private async runKeyed(intent: CheckoutIntent, options: SubmitOptions): Promise<SubmitOutcome> {
    // Created (or found) synchronously, before the first await: a twin submit already sees it.
    const { key } = this.deps.keys.obtain(intent);
    const input = {
      idempotencyKey: key,
      items: intent.items,
      payment: { token: intent.token },
      ...(options.confirmDuplicate ? { confirmDuplicate: true } : {}),
    };
    const outcome = await this.attempts(key, options, (headers) => this.deps.transport.placeOrder(input, headers));
    // Final answers end the intent; a suspected duplicate waits for the shopper, unknown keeps the key.
    if (outcome.kind === "placed" || outcome.kind === "refused") this.deps.keys.drop(intent);
    return outcome;
  }

  private runUnsafe(intent: CheckoutIntent, options: SubmitOptions): Promise<SubmitOutcome> {
    const input = { items: intent.items, payment: { token: intent.token } };
    return this.attempts(null, options, (headers) => this.deps.transport.placeOrderUnsafe(input, headers));
  }

  /** Every attempt of one submit, each shown on the timeline when it leaves and when its answer is known. */
  private async attempts(
    key: string | null,
    options: SubmitOptions,
    send: (headers: CallHeaders) => Promise<Sent>,
  ): Promise<SubmitOutcome> {
    const record = (r: Omit<AttemptRecord, "key">) => options.onAttempt?.({ ...r, key });
    const paid = (order: PlacedOrder): AttemptOutcome =>
      order.status === "PAYMENT_FAILED" ? "declined" : order.replayed ? "replayed" : "created";
    let attempts = 0;
    try {
      const sent = await this.mutation.send(
        {
          key,
          firstAttemptHeaders: options.fault ? { [HEADERS.fault]: options.fault } : {},
          onRetry: (notice) => options.onRetry?.({ ...notice, keyed: key !== null }),
        },
        async (headers, attempt) => {
          attempts = attempt;
          const fault = attempt === 1 ? options.fault : null;
          const started = this.now();
          const id = ++this.nextAttemptId;
          record({ id, attempt, fault, outcome: "in-flight", status: null, reason: null, latencyMs: 0 });
          try {
            const result = await send(headers);
            const latencyMs = Math.round(this.now() - started);
            record({ id, attempt, fault, outcome: paid(result.order), status: result.status, reason: null, latencyMs });
            return result;
          } catch (error) {
            const failure = failureOf(error);
            const latencyMs = Math.round(this.now() - started);
            const status = failure.kind === "http" ? failure.status : null;
            const reason = failure.kind === "http" ? failure.reason : null;
            record({ id, attempt, fault, outcome: outcomeOfFailure(failure), status, reason, latencyMs });
            throw error;
          }
        },
      );
      return { kind: "placed", order: sent.order };
    } catch (error) {
      return outcomeOfError(error, attempts);
    }
  }
}

/** How a submit that threw ends: unknown (key kept), a suspected duplicate, or a final refusal. */
function outcomeOfError(error: unknown, attempts: number): SubmitOutcome {
  if (error instanceof RetriesExhausted) {
    return { kind: "unknown", attempts: error.attempts, message: messageOf(error.cause) };
  }
  const failure = failureOf(error);
  if (failure.kind === "http" && failure.status === 409 && failure.reason === REASON.DUPLICATE_INTENT_SUSPECTED) {
    const orderId = errorField(error, "orderId");
    const inProgressKey = errorField(error, "inProgressKey");
    return {
      kind: "duplicate",
      orderId: typeof orderId === "string" ? orderId : null,
      inProgressKey: typeof inProgressKey === "string" ? inProgressKey : null,
    };
  }
  if (failure.kind === "http" && failure.status >= 400 && failure.status < 500) {
    return { kind: "refused", status: failure.status, reason: failure.reason, message: messageOf(error) };
  }
  return { kind: "unknown", attempts, message: messageOf(error) };
}
