"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import {
  type AttemptRecord,
  type CheckoutRetryNotice,
  type SubmitOutcome,
  type WatchOutcome,
  withAttempt,
} from "@/client/checkout-client";
import type { CardToken, CheckoutIntent } from "@/client/intent-key";
import { shortKey } from "@/client/intent-key";
import { formatCents } from "@/client/money";
import { LoadError, Loading } from "@/components/load-state";
import { APPROVED_CARD, DECLINED_CARD } from "@/shared/names";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { useCheckoutClient } from "../client-instances";
import { ProductImage } from "../product-image";
import { SignInPrompt } from "../sign-in-prompt";
import { linkText, panel, primaryButton } from "../ui";
import { useSession } from "../use-session";
import {
  otherEndedText,
  retryText,
  unsafeUnknownText,
  type WatchCause,
  type WatchEnd,
  waitingForOtherText,
  watchEndedText,
  watchingText,
} from "./checkout-copy";
import { DuplicateDialog } from "./duplicate-dialog";
import { DemoControls } from "./fault-panel";
import { IntentTimeline } from "./intent-timeline";

const cards: { token: CardToken; label: string; hint: string }[] = [
  { token: APPROVED_CARD, label: "Visa ending 4242", hint: "tok_visa: always succeeds" },
  { token: DECLINED_CARD, label: "Card that declines", hint: "tok_declined: the bank says no" },
];

type Notice = { tone: "error" | "info"; text: string; orderId?: string };
type Duplicate = {
  intent: CheckoutIntent;
  orderId: string | null;
  /** Another key of this intent (another tab) still being processed: no order to date it by yet. */
  inProgressKey: string | null;
  secondsAgo: number;
};

export function CheckoutForm() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const session = useSession();
  const checkout = useCheckoutClient();
  // The cart under review must not change under the shopper's feet while they decide.
  const cart = useQuery({ ...trpc.cart.get.queryOptions(), enabled: !!session, refetchOnWindowFocus: false });
  const demo = useQuery(trpc.demo.config.queryOptions());
  const faultsEnabled = demo.data?.faultsEnabled === true;

  const [token, setToken] = useState<CardToken>(APPROVED_CARD);
  const [fault, setFault] = useState("");
  const [dedupe, setDedupe] = useState(true);
  const [useKey, setUseKey] = useState(true);
  const [pending, setPending] = useState(false);
  const [retry, setRetry] = useState<CheckoutRetryNotice | null>(null);
  const [watching, setWatching] = useState<string | null>(null);
  const [records, setRecords] = useState<AttemptRecord[]>([]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [duplicate, setDuplicate] = useState<Duplicate | null>(null);
  const resumed = useRef(false);
  // The status watch stops when the page goes away.
  const watchAbort = useRef<AbortController | null>(null);
  useEffect(() => () => watchAbort.current?.abort(), []);

  const onAttempt = useCallback((r: AttemptRecord) => {
    // An attempt is reported when it leaves and again with its answer: the answer replaces the in-flight row.
    setRecords((rs) => withAttempt(rs, r));
    if (r.outcome !== "deduped" && r.outcome !== "in-flight") setRetry(null);
  }, []);

  const finish = useCallback(
    async (intent: CheckoutIntent, outcome: SubmitOutcome): Promise<void> => {
      setRetry(null);
      setWatching(null);
      if (outcome.kind === "placed" && outcome.order.status === "PAID") {
        // Bought: those lines leave the cart (setting absolute state, safe to repeat).
        await Promise.allSettled(intent.items.map((i) => client.cart.removeItem.mutate({ productId: i.productId })));
        await queryClient.invalidateQueries();
        router.push(`/orders/${outcome.order.orderId}`);
        return;
      }
      setPending(false);
      if (outcome.kind === "placed") {
        await queryClient.invalidateQueries({ queryKey: trpc.orders.list.queryKey() });
        setNotice({
          tone: "error",
          text: "Your card was declined and nothing was charged. Choose another card and pay again.",
          orderId: outcome.order.orderId,
        });
      } else if (outcome.kind === "duplicate") {
        const { orderId } = outcome;
        const earlier = orderId
          ? await queryClient.fetchQuery(trpc.orders.get.queryOptions({ id: orderId })).catch(() => null)
          : null;
        const placedAt = earlier ? Date.parse(String(earlier.createdAt)) : Date.now();
        const secondsAgo = Math.max(1, Math.round((Date.now() - placedAt) / 1000));
        setDuplicate({ intent, orderId, inProgressKey: outcome.inProgressKey, secondsAgo });
      } else if (outcome.kind === "refused") {
        setNotice({ tone: "error", text: `The shop refused this order: ${outcome.message}` });
      } else {
        // Only the keyless baseline ends here: a keyed submit with no answer is watched instead (see submit).
        setNotice({ tone: "error", text: unsafeUnknownText(outcome.attempts) });
      }
    },
    [client, queryClient, router, trpc],
  );

  /**
   * Asks the shop what became of a key (read-only; nothing is sent again) until the answer is final, then
   * shows it: the confirmation, the decline or the refusal.
   */
  const follow = useCallback(
    async (
      intent: CheckoutIntent,
      key: string | null,
      run: (signal: AbortSignal) => Promise<WatchOutcome>,
      text: { start: string; ended: (outcome: WatchEnd) => string },
    ): Promise<void> => {
      watchAbort.current?.abort();
      const controller = new AbortController();
      watchAbort.current = controller;
      setPending(true);
      setWatching(key);
      setNotice({ tone: "info", text: text.start });
      const outcome = await run(controller.signal);
      if (outcome.kind === "stopped") return;
      if (outcome.kind === "placed" || outcome.kind === "refused") {
        setNotice(null);
        return finish(intent, outcome);
      }
      setWatching(null);
      setPending(false);
      setNotice({ tone: "info", text: text.ended(outcome) });
    },
    [finish],
  );

  /** This tab's own key: after its retries ran out, or after a reload. */
  const watch = useCallback(
    (intent: CheckoutIntent, cause: WatchCause): Promise<void> => {
      const key = checkout.pendingKey(intent);
      return follow(intent, key, (signal) => checkout.watch(intent, signal), {
        start: watchingText(cause, key),
        ended: (outcome) => watchEndedText(outcome, key),
      });
    },
    [checkout, follow],
  );

  /** The other tab's attempt a suspected duplicate named: this tab shows its outcome instead of paying. */
  const waitForOther = useCallback(
    (intent: CheckoutIntent, otherKey: string): Promise<void> => {
      // This tab's key never got a record (the claim refused it): the other tab's attempt is the intent now.
      checkout.forget(intent);
      return follow(intent, otherKey, (signal) => checkout.watchOther(otherKey, signal), {
        start: waitingForOtherText(otherKey),
        ended: (outcome) => otherEndedText(outcome, otherKey),
      });
    },
    [checkout, follow],
  );

  const submit = useCallback(
    (intent: CheckoutIntent, extra: { confirmDuplicate?: boolean } = {}) => {
      const keyed = useKey;
      const { promise, deduped } = checkout.submit(intent, {
        dedupe,
        useKey: keyed,
        fault: fault || null,
        confirmDuplicate: extra.confirmDuplicate,
        onAttempt,
        onRetry: setRetry,
      });
      // A twin of a pending submit: the first submit's handler already awaits the same promise.
      if (deduped) return;
      // A click takes over from a status watch: the submit resends the same key and gets the answer itself.
      watchAbort.current?.abort();
      setWatching(null);
      setFault("");
      setNotice(null);
      setPending(true);
      // Retries spent with a key: the outcome is not lost, ask the shop for it instead of giving up.
      void promise.then((outcome) =>
        outcome.kind === "unknown" && keyed
          ? watch(intent, { kind: "retries", attempts: outcome.attempts })
          : finish(intent, outcome),
      );
    },
    [checkout, dedupe, useKey, fault, onAttempt, finish, watch],
  );

  const items = cart.data?.items;
  // After a reload (or coming back): an intent of this cart submitted in this tab without a final answer is
  // looked up by its key, never paid again without a click.
  useEffect(() => {
    if (!items || items.length === 0 || resumed.current) return;
    resumed.current = true;
    const intent = checkout.unresolvedFor(items.map((i) => ({ productId: i.productId, quantity: i.quantity })));
    if (!intent) return;
    setToken(intent.token);
    void watch(intent, { kind: "reload" });
  }, [items, checkout, watch]);

  if (session === null) return <SignInPrompt what="check out" />;
  if (!session || cart.isPending) return <Loading what="your cart" />;
  if (cart.isError) return <LoadError what="your cart" error={cart.error} />;
  if (cart.data.items.length === 0 && !pending)
    return (
      <div className={panel}>
        <p>Your cart is empty.</p>
        <Link href="/" className={`${linkText} mt-2 inline-block`}>
          Browse the shop
        </Link>
      </div>
    );

  const intentNow = (): CheckoutIntent => ({
    items: cart.data.items.map((i) => ({ productId: i.productId, quantity: i.quantity })),
    token,
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(intentNow());
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
      <div className="space-y-6">
        <form onSubmit={onSubmit} className={panel} aria-labelledby="pay-title" data-testid="checkout-form">
          <h2 id="pay-title" className="text-lg font-semibold">
            Payment
          </h2>
          <fieldset className="mt-3">
            <legend className="text-sm font-medium text-slate-800">Card</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              {cards.map((card) => (
                <label
                  key={card.token}
                  className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 p-3 has-checked:border-indigo-500 has-checked:bg-indigo-50"
                >
                  <input
                    type="radio"
                    name="card"
                    value={card.token}
                    checked={token === card.token}
                    onChange={() => setToken(card.token)}
                    className="mt-1 accent-indigo-600"
                  />
                  <span>
                    <span className="font-medium">{card.label}</span>
                    <span className="block text-xs text-slate-600">{card.hint}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          {/* Not disabled while pending on purpose: correctness comes from the key and the dedupe, not the button. */}
          <button
            type="submit"
            data-testid="pay"
            aria-busy={pending}
            className={`${primaryButton} mt-5 w-full text-lg`}
          >
            {pending ? "Paying…" : `Pay ${formatCents(cart.data.totalCents)}`}
          </button>
          <p
            role="status"
            aria-live="polite"
            data-testid="checkout-status"
            className="mt-3 min-h-5 text-sm text-amber-800"
          >
            {retry
              ? retryText(retry)
              : watching
                ? `Waiting for the shop to finish your payment (key ${shortKey(watching)})…`
                : pending
                  ? "Placing your order…"
                  : ""}
          </p>
          {notice ? (
            <div
              role={notice.tone === "error" ? "alert" : "status"}
              data-testid="checkout-notice"
              className={`mt-2 rounded-md p-3 text-sm ${notice.tone === "error" ? "bg-red-50 text-red-800" : "bg-sky-50 text-sky-900"}`}
            >
              {notice.text}
              {notice.orderId ? (
                <>
                  {" "}
                  <Link href={`/orders/${notice.orderId}`} className={linkText}>
                    See the declined order
                  </Link>
                </>
              ) : null}
            </div>
          ) : null}
          <IntentTimeline records={records} />
        </form>
        {faultsEnabled ? (
          <DemoControls
            fault={fault}
            onFault={setFault}
            dedupe={dedupe}
            onDedupe={setDedupe}
            useKey={useKey}
            onUseKey={setUseKey}
          />
        ) : null}
      </div>
      <aside className={`${panel} h-fit`} aria-labelledby="summary-title">
        <h2 id="summary-title" className="text-lg font-semibold">
          Order summary
        </h2>
        <ul className="mt-3 divide-y divide-slate-100" data-testid="checkout-items">
          {cart.data.items.map((i) => (
            <li key={i.productId} className="flex justify-between gap-3 py-2 text-sm">
              <span className="flex items-center gap-2">
                <ProductImage productId={i.productId} size={20} /> {i.name} × {i.quantity}
              </span>
              <span>{formatCents(i.priceCents * i.quantity)}</span>
            </li>
          ))}
        </ul>
        <p className="mt-3 flex justify-between border-t border-slate-200 pt-3 font-semibold">
          <span>Total</span>
          <span>{formatCents(cart.data.totalCents)}</span>
        </p>
      </aside>
      {duplicate ? (
        <DuplicateDialog
          orderId={duplicate.orderId}
          inProgress={duplicate.inProgressKey !== null}
          secondsAgo={duplicate.secondsAgo}
          onCancel={() => setDuplicate(null)}
          onWait={() => {
            const { intent, inProgressKey } = duplicate;
            setDuplicate(null);
            if (inProgressKey) void waitForOther(intent, inProgressKey);
          }}
          onView={() => {
            checkout.forget(duplicate.intent);
            setDuplicate(null);
          }}
          onPlaceAgain={() => {
            const { intent } = duplicate;
            setDuplicate(null);
            submit(intent, { confirmDuplicate: true });
          }}
        />
      ) : null}
    </div>
  );
}
