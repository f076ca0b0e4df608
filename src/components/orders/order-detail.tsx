"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatCents } from "@/client/money";
import { Loading } from "@/components/load-state";
import { useTRPC } from "@/trpc/react";
import { ProductImage } from "../product-image";
import { SignInPrompt } from "../sign-in-prompt";
import { StatusBadge } from "../status-badge";
import { linkText, panel } from "../ui";
import { useSession } from "../use-session";
import { OrderStory } from "./intent-story";

const headings: Record<string, string> = {
  PAID: "Thank you, your order is confirmed",
  PAYMENT_FAILED: "Payment declined, nothing was charged",
  PENDING_PAYMENT: "Payment in progress",
  CANCELLED: "This order could not be completed and was cancelled",
};

type Payment = { status: "SUCCEEDED" | "DECLINED"; chargeId: string } | null;
type ProviderCharge = { status: "SUCCEEDED" | "DECLINED" } | null;

/**
 * What the shopper's card went through. A pending order's payment is not written yet; the provider's own
 * record says whether the card was already charged (the order is then being finished) or not.
 */
function paymentText(payment: Payment, providerCharge: ProviderCharge): string {
  if (payment) return payment.status === "SUCCEEDED" ? "Charged" : "Declined, not charged";
  if (providerCharge?.status === "SUCCEEDED") return "Charged, finishing your order";
  if (providerCharge?.status === "DECLINED") return "Declined, not charged; finishing your order";
  return "Not charged yet";
}

export function OrderDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const session = useSession();
  const order = useQuery({
    ...trpc.orders.get.queryOptions({ id }),
    enabled: !!session,
    // A pending order is finishing (a retry or the recovery worker): look again shortly.
    refetchInterval: (q) => (q.state.data?.status === "PENDING_PAYMENT" ? 1_000 : false),
  });
  if (session === null) return <SignInPrompt what="see this order" />;
  if (!session || order.isPending) return <Loading what="the order" />;
  if (order.isError)
    return (
      <div role="alert" className={panel}>
        <p className="text-red-700">
          {order.error.message === "no such order" ? "No such order." : order.error.message}
        </p>
        <Link href="/orders" className={`${linkText} mt-2 inline-block`}>
          All orders
        </Link>
      </div>
    );
  const o = order.data;
  return (
    <article className="space-y-6" data-testid="order-detail" data-order-id={o.id} data-status={o.status}>
      <header>
        <h1 className="text-2xl font-bold tracking-tight">
          {o.status === "PENDING_PAYMENT" && o.providerCharge?.status === "SUCCEEDED"
            ? "Payment received, finishing your order"
            : (headings[o.status] ?? o.status)}
        </h1>
        <p className="mt-1 flex flex-wrap items-center gap-3 text-sm text-slate-600">
          <span className="font-mono">Order {o.id}</span>
          <StatusBadge status={o.status} />
          <span>{new Date(o.createdAt).toLocaleString("en-IE", { dateStyle: "medium", timeStyle: "medium" })}</span>
        </p>
      </header>
      <section className={panel} aria-label="Items">
        <ul className="divide-y divide-slate-100">
          {o.items.map((i) => (
            <li key={i.productId} className="flex justify-between gap-3 py-2">
              <span className="flex items-center gap-2">
                <ProductImage productId={i.productId} size={24} /> {i.product.name} × {i.quantity}
              </span>
              <span>{formatCents(i.unitPriceCents * i.quantity)}</span>
            </li>
          ))}
        </ul>
        <p className="mt-3 flex justify-between border-t border-slate-200 pt-3 text-lg font-semibold">
          <span>Total</span>
          <span data-testid="order-total">{formatCents(o.totalCents)}</span>
        </p>
      </section>
      <section className={panel} aria-label="Payment">
        <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
          <dt className="text-slate-500">Card</dt>
          <dd className="font-mono">{o.paymentToken}</dd>
          <dt className="text-slate-500">Payment</dt>
          <dd data-testid="payment-state">{paymentText(o.payment, o.providerCharge)}</dd>
          {o.payment?.status === "SUCCEEDED" ? (
            <>
              <dt className="text-slate-500">Charge</dt>
              <dd className="font-mono" data-testid="charge-id">
                {o.payment.chargeId}
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      <OrderStory orderId={o.id} pending={o.status === "PENDING_PAYMENT"} />
      <p className="flex gap-4">
        <Link href="/orders" className={linkText}>
          All orders
        </Link>
        <Link href="/" className={linkText}>
          Continue shopping
        </Link>
        {o.status === "PAYMENT_FAILED" ? (
          <Link href="/checkout" className={linkText}>
            Try another card
          </Link>
        ) : null}
      </p>
    </article>
  );
}
