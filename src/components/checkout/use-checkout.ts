"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import {
  type AttemptRecord,
  type CheckoutRetryNotice,
  type SubmitOutcome,
  withAttempt,
} from "@/client/checkout-client";
import type { CardToken, CheckoutIntent } from "@/client/intent-key";
import { APPROVED_CARD } from "@/shared/names";
import { useCheckoutClient } from "@/trpc/react";
import type { Duplicate, Notice } from "./checkout-view";
import { useKeyWatch } from "./use-key-watch";
import { useShowOutcome } from "./use-outcome";

/**
 * The checkout page's state around the idempotent checkout client: what is pending, retried or watched, the
 * attempts' timeline, the notice and the duplicate dialog. `items` is the cart under review.
 */
export function useCheckout(items: CheckoutIntent["items"] | undefined) {
  const checkout = useCheckoutClient();
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

  const onAttempt = useCallback((r: AttemptRecord) => {
    // An attempt is reported when it leaves and again with its answer: the answer replaces the in-flight row.
    setRecords((rs) => withAttempt(rs, r));
    if (r.outcome !== "deduped" && r.outcome !== "in-flight") setRetry(null);
  }, []);

  const settle = useCallback(() => setPending(false), []);
  const showOutcome = useShowOutcome({ settle, setNotice, setDuplicate });
  const finish = useCallback(
    (intent: CheckoutIntent, outcome: SubmitOutcome): Promise<void> => {
      setRetry(null);
      setWatching(null);
      return showOutcome(intent, outcome);
    },
    [showOutcome],
  );

  const { watch, waitForOther, stopWatching } = useKeyWatch({ checkout, finish, setPending, setWatching, setNotice });

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
      stopWatching();
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
    [checkout, dedupe, useKey, fault, onAttempt, finish, watch, stopWatching],
  );

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

  /** The duplicate dialog's four answers. */
  const dialog = {
    cancel: () => setDuplicate(null),
    wait: (d: Duplicate) => {
      setDuplicate(null);
      if (d.inProgressKey) void waitForOther(d.intent, d.inProgressKey);
    },
    view: (d: Duplicate) => {
      checkout.forget(d.intent);
      setDuplicate(null);
    },
    placeAgain: (d: Duplicate) => {
      setDuplicate(null);
      submit(d.intent, { confirmDuplicate: true });
    },
  };

  const demo = { fault, setFault, dedupe, setDedupe, useKey, setUseKey };
  return { token, setToken, demo, pending, retry, watching, records, notice, duplicate, submit, dialog };
}
