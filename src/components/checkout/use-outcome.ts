"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import type { SubmitOutcome } from "@/client/checkout-client";
import type { CheckoutIntent } from "@/client/intent-key";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { unsafeUnknownText } from "./checkout-copy";
import type { Duplicate, Notice } from "./checkout-view";

/** A final outcome that is no longer pending on this page: where it goes next. */
export type OutcomeView = {
  settle: () => void;
  setNotice: (notice: Notice | null) => void;
  setDuplicate: (duplicate: Duplicate) => void;
};

/**
 * What the page does with a submit's (or a watch's) outcome: a paid order empties those cart lines and opens
 * the order; a decline, a refusal or a suspected duplicate is shown to the shopper.
 */
export function useShowOutcome(view: OutcomeView) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { settle, setNotice, setDuplicate } = view;
  return useCallback(
    async (intent: CheckoutIntent, outcome: SubmitOutcome): Promise<void> => {
      if (outcome.kind === "placed" && outcome.order.status === "PAID") {
        // Bought: those lines leave the cart (setting absolute state, safe to repeat).
        await Promise.allSettled(intent.items.map((i) => client.cart.removeItem.mutate({ productId: i.productId })));
        await queryClient.invalidateQueries();
        router.push(`/orders/${outcome.order.orderId}`);
        return;
      }
      settle();
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
    [client, queryClient, router, trpc, settle, setNotice, setDuplicate],
  );
}
