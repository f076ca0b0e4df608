import { describe, expect, it, vi } from "vitest";
import {
  type AttemptRecord,
  CheckoutClient,
  type CheckoutRetryNotice,
  type CheckoutTransport,
  type PlacedOrder,
  type Sent,
  withAttempt,
} from "./checkout-client";
import type { CallHeaders, ClientReport } from "./idempotent-mutation";
import {
  type CheckoutIntent,
  checkoutFingerprint,
  IntentKeyStore,
  memoryStorage,
  parseCheckoutIntent,
} from "./intent-key";
import { networkError, serverError } from "./trpc-error.fixture";
import type { KeyStatusView } from "./watch-key";

const intent: CheckoutIntent = { items: [{ productId: "mug", quantity: 1 }], token: "tok_visa" };
const paid = (replayed = false): PlacedOrder => ({
  orderId: "order-1",
  status: "PAID",
  totalCents: 1400,
  chargeId: "ch_1",
  replayed,
});

type Answer = Sent | Error | Promise<Sent>;

/** The timeline as the page shows it: an attempt's answer replaces its in-flight row. */
const timeline = (records: AttemptRecord[]): AttemptRecord[] => {
  let rows: AttemptRecord[] = [];
  for (const r of records) rows = withAttempt(rows, r);
  return rows;
};

/** A scripted server: each call takes the next answer; every request is recorded. */
function setup(answers: Answer[], storage = memoryStorage(), statuses: (KeyStatusView | Error)[] = []) {
  const asked: string[] = [];
  const sent: { input: { idempotencyKey?: string; confirmDuplicate?: boolean }; headers: CallHeaders }[] = [];
  const unsafe: CallHeaders[] = [];
  const reports: ClientReport[] = [];
  const next = async (): Promise<Sent> => {
    const answer = answers.shift();
    if (!answer) throw new Error("no scripted answer left");
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const transport: CheckoutTransport = {
    placeOrder: (input, headers) => {
      sent.push({ input, headers });
      return next();
    },
    placeOrderUnsafe: (_input, headers) => {
      unsafe.push(headers);
      return next();
    },
    status: async (key) => {
      asked.push(key);
      const answer = statuses.shift();
      if (!answer) throw new Error("no scripted status left");
      if (answer instanceof Error) throw answer;
      return answer;
    },
    report: (r) => void reports.push(r),
  };
  let n = 0;
  const keys = new IntentKeyStore<CheckoutIntent>(storage, {
    operation: "checkout.placeOrder",
    fingerprint: checkoutFingerprint,
    parseIntent: parseCheckoutIntent,
    newKey: () => `00000000-0000-4000-8000-00000000000${++n}`,
  });
  const slept: number[] = [];
  const client = new CheckoutClient({
    keys,
    transport,
    random: () => 0.5,
    sleep: async (ms) => void slept.push(ms),
    watchSleep: async (ms) => void slept.push(ms),
  });
  const records: AttemptRecord[] = [];
  const notices: CheckoutRetryNotice[] = [];
  const options = {
    dedupe: true,
    useKey: true,
    fault: null,
    onAttempt: (r: AttemptRecord) => records.push(r),
    onRetry: (n: CheckoutRetryNotice) => notices.push(n),
  };
  return { client, keys, sent, unsafe, reports, slept, records, notices, options, asked };
}

describe("CheckoutClient", () => {
  it("retries a lost answer with the same key and X-Retry-Attempt, and shows the replay", async () => {
    const t = setup([serverError(504, "RESPONSE_LOST"), networkError(), { order: paid(true), status: 200 }]);
    const outcome = await t.client.submit(intent, { ...t.options, fault: "lose-response" }).promise;
    expect(outcome).toEqual({ kind: "placed", order: paid(true) });
    const keys = t.sent.map((s) => s.input.idempotencyKey);
    expect(new Set(keys).size).toBe(1);
    expect(t.sent.map((s) => s.headers)).toEqual([
      { "X-Retry-Attempt": "1", "X-Fault": "lose-response" },
      { "X-Retry-Attempt": "2" },
      { "X-Retry-Attempt": "3" },
    ]);
    expect(timeline(t.records).map((r) => [r.attempt, r.outcome, r.status])).toEqual([
      [1, "lost", 504],
      [2, "lost", null],
      [3, "replayed", 200],
    ]);
    expect(t.reports).toEqual([
      { kind: "CLIENT_RETRY", operation: "checkout.placeOrder", key: keys[0], attempt: 2, causeStatus: 504 },
      { kind: "CLIENT_RETRY", operation: "checkout.placeOrder", key: keys[0], attempt: 3, causeStatus: 0 },
    ]);
    // Final: the key is dropped, the next purchase of the same cart is a new intent.
    expect(t.keys.current(intent)).toBeNull();
  });

  it("dedupes a double submit: one request, the same promise, a CLIENT_DEDUPED report", async () => {
    let answer!: (s: Sent) => void;
    const t = setup([new Promise<Sent>((resolve) => (answer = resolve))]);
    const first = t.client.submit(intent, t.options);
    const second = t.client.submit(intent, t.options);
    expect(second.deduped).toBe(true);
    expect(second.promise).toBe(first.promise);
    await vi.waitFor(() => expect(t.sent).toHaveLength(1));
    // The request in flight is on the timeline, next to the click it absorbed.
    expect(timeline(t.records).map((r) => r.outcome)).toEqual(["in-flight", "deduped"]);
    answer({ order: paid(), status: 201 });
    await first.promise;
    expect(t.sent).toHaveLength(1);
    expect(t.reports).toEqual([
      { kind: "CLIENT_DEDUPED", operation: "checkout.placeOrder", key: t.sent[0]?.input.idempotencyKey, attempt: 1 },
    ]);
    expect(timeline(t.records).map((r) => r.outcome)).toEqual(["created", "deduped"]);
  });

  it("with dedupe switched off sends twice, but with the same key", async () => {
    const t = setup([
      { order: paid(), status: 201 },
      { order: paid(true), status: 200 },
    ]);
    const off = { ...t.options, dedupe: false };
    const [a, b] = [t.client.submit(intent, off), t.client.submit(intent, off)];
    await Promise.all([a.promise, b.promise]);
    expect(t.sent).toHaveLength(2);
    expect(t.sent[0]?.input.idempotencyKey).toBe(t.sent[1]?.input.idempotencyKey);
  });

  it("keeps the key when the outcome stays unknown, so paying again (or a reload) resumes it", async () => {
    const storage = memoryStorage();
    const t = setup(
      Array.from({ length: 5 }, () => networkError()),
      storage,
    );
    const outcome = await t.client.submit(intent, t.options).promise;
    expect(outcome).toMatchObject({ kind: "unknown", attempts: 5 });
    expect(t.sent).toHaveLength(5);
    const key = t.sent[0]?.input.idempotencyKey;
    expect(t.keys.current(intent)?.key).toBe(key);

    const afterReload = setup([{ order: paid(true), status: 200 }], storage);
    const resumable = afterReload.client.unresolvedFor(intent.items);
    expect(resumable).toEqual(intent);
    await afterReload.client.submit(intent, afterReload.options).promise;
    expect(afterReload.sent[0]?.input.idempotencyKey).toBe(key);
  });

  it("waits for the shopper on a suspected duplicate, then resends the same key with confirmDuplicate", async () => {
    const t = setup([
      serverError(409, "DUPLICATE_INTENT_SUSPECTED", { orderId: "earlier" }),
      { order: paid(), status: 201 },
    ]);
    expect(await t.client.submit(intent, t.options).promise).toEqual({
      kind: "duplicate",
      orderId: "earlier",
      inProgressKey: null,
    });
    expect(t.sent).toHaveLength(1);
    await t.client.submit(intent, { ...t.options, confirmDuplicate: true }).promise;
    expect(t.sent[1]?.input).toMatchObject({ idempotencyKey: t.sent[0]?.input.idempotencyKey, confirmDuplicate: true });
  });

  it("names the other tab's attempt in progress on a suspected duplicate without an order yet", async () => {
    const t = setup([serverError(409, "DUPLICATE_INTENT_SUSPECTED", { inProgressKey: "other-key" })]);
    expect(await t.client.submit(intent, t.options).promise).toEqual({
      kind: "duplicate",
      orderId: null,
      inProgressKey: "other-key",
    });
    // Waiting for the shopper: the key is kept for a confirmed repeat.
    expect(t.keys.current(intent)?.key).toBe(t.sent[0]?.input.idempotencyKey);
  });

  it("drops the key after a final refusal and does not retry it", async () => {
    const t = setup([serverError(422, "KEY_REUSED_WITH_DIFFERENT_REQUEST")]);
    expect(await t.client.submit(intent, t.options).promise).toMatchObject({ kind: "refused", status: 422 });
    expect(t.sent).toHaveLength(1);
    expect(t.keys.current(intent)).toBeNull();
  });

  it("treats a declined card as final: the next submit is a new intent with a new key", async () => {
    const declined = { ...paid(), status: "PAYMENT_FAILED" as const };
    const t = setup([
      { order: declined, status: 201 },
      { order: paid(), status: 201 },
    ]);
    await t.client.submit({ ...intent, token: "tok_declined" }, t.options).promise;
    await t.client.submit(intent, t.options).promise;
    expect(t.sent[0]?.input.idempotencyKey).not.toBe(t.sent[1]?.input.idempotencyKey);
    // A decline is shown as a declined attempt, not as a created order.
    expect(timeline(t.records).map((r) => r.outcome)).toEqual(["declined", "created"]);
  });

  it("with the key switched off calls the unsafe baseline without any key", async () => {
    const t = setup([{ order: paid(), status: 201 }]);
    const outcome = await t.client.submit(intent, { ...t.options, useKey: false }).promise;
    expect(outcome.kind).toBe("placed");
    expect(t.sent).toHaveLength(0);
    expect(t.unsafe).toEqual([{ "X-Retry-Attempt": "1" }]);
    expect(t.records[0]?.key).toBeNull();
    expect(t.keys.unresolved()).toEqual([]);
  });

  it("labels the retries of the keyless baseline as unsafe, and keyed retries as safe", async () => {
    const t = setup([networkError(), { order: paid(), status: 201 }, networkError(), { order: paid(), status: 201 }]);
    await t.client.submit(intent, { ...t.options, useKey: false }).promise;
    await t.client.submit(intent, t.options).promise;
    expect(t.notices.map((n) => n.keyed)).toEqual([false, true]);
  });

  describe("watching a key whose retries are spent", () => {
    const lost = () => Array.from({ length: 5 }, () => networkError());

    it("asks checkout.status until final, then shows the stored order and ends the intent, sending nothing", async () => {
      const t = setup(lost(), memoryStorage(), [
        new Error("offline"),
        { state: "in_progress", recoveryPoint: "ORDER_CREATED", leaseEndsAt: null },
        { state: "final", status: 201, body: { ...paid(), replayed: false } },
      ]);
      expect((await t.client.submit(intent, t.options).promise).kind).toBe("unknown");
      const key = t.keys.current(intent)?.key;
      const outcome = await t.client.watch(intent, new AbortController().signal);
      expect(outcome).toEqual({ kind: "placed", order: paid(true) });
      expect(t.asked).toEqual([key, key, key]);
      expect(t.sent).toHaveLength(5);
      expect(t.keys.current(intent)).toBeNull();
    });

    it("shows a stored refusal as refused", async () => {
      const t = setup(lost(), memoryStorage(), [
        { state: "final", status: 422, body: { reason: "POISON", message: "this request cannot be completed" } },
      ]);
      await t.client.submit(intent, t.options).promise;
      expect(await t.client.watch(intent, new AbortController().signal)).toEqual({
        kind: "refused",
        status: 422,
        reason: "POISON",
        message: "this request cannot be completed",
      });
    });

    it("reports a key the shop never recorded, and keeps it for the shopper's next click", async () => {
      const t = setup(lost(), memoryStorage(), [{ state: "unknown" }]);
      await t.client.submit(intent, t.options).promise;
      expect(await t.client.watch(intent, new AbortController().signal)).toEqual({ kind: "not-recorded" });
      expect(t.keys.current(intent)).not.toBeNull();
    });

    it("follows another tab's key without touching this tab's intent", async () => {
      const t = setup([], memoryStorage(), [
        { state: "in_progress", recoveryPoint: "STARTED", leaseEndsAt: null },
        { state: "final", status: 201, body: { ...paid(), replayed: false } },
      ]);
      const mine = t.keys.obtain(intent).key;
      expect(await t.client.watchOther("other-key", new AbortController().signal)).toEqual({
        kind: "placed",
        order: paid(true),
      });
      expect(t.asked).toEqual(["other-key", "other-key"]);
      expect(t.sent).toHaveLength(0);
      expect(t.keys.current(intent)?.key).toBe(mine);
    });

    it("stops when the page goes away", async () => {
      const t = setup(lost(), memoryStorage(), [{ state: "in_progress", recoveryPoint: "STARTED", leaseEndsAt: null }]);
      await t.client.submit(intent, t.options).promise;
      const controller = new AbortController();
      controller.abort();
      expect(await t.client.watch(intent, controller.signal)).toEqual({ kind: "stopped" });
      expect(t.asked).toHaveLength(0);
      expect(t.keys.current(intent)).not.toBeNull();
    });
  });
});
