"use client";

import { useCallback, useEffect, useRef } from "react";
import type { CheckoutClient, SubmitOutcome, WatchOutcome } from "@/client/checkout-client";
import type { CheckoutIntent } from "@/client/intent-key";
import {
  otherEndedText,
  type WatchCause,
  type WatchEnd,
  waitingForOtherText,
  watchEndedText,
  watchingText,
} from "./checkout-copy";
import type { Notice } from "./checkout-view";

type Deps = {
  checkout: CheckoutClient;
  finish: (intent: CheckoutIntent, outcome: SubmitOutcome) => Promise<void>;
  setPending: (pending: boolean) => void;
  setWatching: (key: string | null) => void;
  setNotice: (notice: Notice | null) => void;
};

/** The checkout page's status watches: its own key once the retries are spent, or another tab's key. */
export function useKeyWatch({ checkout, finish, setPending, setWatching, setNotice }: Deps) {
  // The status watch stops when the page goes away.
  const watchAbort = useRef<AbortController | null>(null);
  useEffect(() => () => watchAbort.current?.abort(), []);
  const stopWatching = useCallback(() => watchAbort.current?.abort(), []);

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
    [finish, setPending, setWatching, setNotice],
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

  return { watch, waitForOther, stopWatching };
}
