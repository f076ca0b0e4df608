"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { FormEvent } from "react";
import type { CheckoutIntent } from "@/client/intent-key";
import { formatCents } from "@/client/money";
import { LoadError, Loading } from "@/components/load-state";
import { useTRPC } from "@/trpc/react";
import { SignInPrompt } from "../sign-in-prompt";
import { linkText, panel, primaryButton } from "../ui";
import { useSession } from "../use-session";
import { CardChoice } from "./card-choice";
import { DuplicateDialog } from "./duplicate-dialog";
import { DemoControls } from "./fault-panel";
import { IntentTimeline } from "./intent-timeline";
import { OrderSummary } from "./order-summary";
import { PayStatus } from "./pay-status";
import { useCheckout } from "./use-checkout";

/** The checkout page: the cart under review, the card, the Pay button and what became of each attempt. */
export function CheckoutForm() {
  const trpc = useTRPC();
  const session = useSession();
  // The cart under review must not change under the shopper's feet while they decide.
  const cart = useQuery({ ...trpc.cart.get.queryOptions(), enabled: !!session, refetchOnWindowFocus: false });
  const demo = useQuery(trpc.demo.config.queryOptions());
  const faultsEnabled = demo.data?.faultsEnabled === true;
  const checkout = useCheckout(cart.data?.items);
  const { duplicate, dialog } = checkout;

  if (session === null) return <SignInPrompt what="check out" />;
  if (!session || cart.isPending) return <Loading what="your cart" />;
  if (cart.isError) return <LoadError what="your cart" error={cart.error} />;
  if (cart.data.items.length === 0 && !checkout.pending)
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
    token: checkout.token,
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    checkout.submit(intentNow());
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_24rem]">
      <div className="space-y-6">
        <form onSubmit={onSubmit} className={panel} aria-labelledby="pay-title" data-testid="checkout-form">
          <h2 id="pay-title" className="text-lg font-semibold">
            Payment
          </h2>
          <CardChoice token={checkout.token} onToken={checkout.setToken} />
          {/* Not disabled while pending on purpose: correctness comes from the key and the dedupe, not the button. */}
          <button
            type="submit"
            data-testid="pay"
            aria-busy={checkout.pending}
            className={`${primaryButton} mt-5 w-full text-lg`}
          >
            {checkout.pending ? "Paying…" : `Pay ${formatCents(cart.data.totalCents)}`}
          </button>
          <PayStatus {...checkout} />
          <IntentTimeline records={checkout.records} />
        </form>
        {faultsEnabled ? (
          <DemoControls
            fault={checkout.demo.fault}
            onFault={checkout.demo.setFault}
            dedupe={checkout.demo.dedupe}
            onDedupe={checkout.demo.setDedupe}
            useKey={checkout.demo.useKey}
            onUseKey={checkout.demo.setUseKey}
          />
        ) : null}
      </div>
      <OrderSummary cart={cart.data} />
      {duplicate ? (
        <DuplicateDialog
          orderId={duplicate.orderId}
          inProgress={duplicate.inProgressKey !== null}
          secondsAgo={duplicate.secondsAgo}
          onCancel={dialog.cancel}
          onWait={() => dialog.wait(duplicate)}
          onView={() => dialog.view(duplicate)}
          onPlaceAgain={() => dialog.placeAgain(duplicate)}
        />
      ) : null}
    </div>
  );
}
