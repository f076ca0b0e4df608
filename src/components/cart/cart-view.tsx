"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { formatCents } from "@/client/money";
import { LoadError, Loading } from "@/components/load-state";
import { useTRPC } from "@/trpc/react";
import { ProductImage } from "../product-image";
import { SignInPrompt } from "../sign-in-prompt";
import { linkText, panel, primaryButton, secondaryButton } from "../ui";
import { useSession } from "../use-session";

const MAX_QUANTITY = 10;

/** Quantities the shopper may pick: up to the stock (and the per-line cap), plus the current one if stock fell. */
const choicesFor = (stock: number, current: number): number[] => {
  const top = Math.max(Math.min(MAX_QUANTITY, stock), current);
  return Array.from({ length: top }, (_, i) => i + 1);
};

export function CartView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSession();
  const cart = useQuery({ ...trpc.cart.get.queryOptions(), enabled: !!session });
  const onSuccess = (data: NonNullable<typeof cart.data>) => queryClient.setQueryData(trpc.cart.get.queryKey(), data);
  // Absolute quantities and removals are idempotent by nature: no key needed (docs/protocol.md section 7).
  const setQuantity = useMutation(trpc.cart.setQuantity.mutationOptions({ onSuccess }));
  const removeItem = useMutation(trpc.cart.removeItem.mutationOptions({ onSuccess }));

  if (session === null) return <SignInPrompt what="see your cart" />;
  if (!session || cart.isPending) return <Loading what="your cart" />;
  if (cart.isError) return <LoadError what="your cart" error={cart.error} />;
  if (cart.data.items.length === 0)
    return (
      <div className={panel}>
        <p className="text-slate-700">Your cart is empty.</p>
        <Link href="/" className={`${linkText} mt-2 inline-block`}>
          Browse the shop
        </Link>
      </div>
    );

  const failure = setQuantity.error ?? removeItem.error;
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <ul aria-label="Cart items" className={`${panel} divide-y divide-slate-100 p-0`}>
        {cart.data.items.map((item) => (
          <li key={item.productId} data-testid="cart-line" className="flex flex-wrap items-center gap-4 p-4">
            <ProductImage productId={item.productId} size={44} />
            <div className="min-w-40 flex-1">
              <p className="font-medium">{item.name}</p>
              <p className="text-sm text-slate-500">{formatCents(item.priceCents)} each</p>
              <p
                data-testid="cart-line-stock"
                className={`text-xs ${item.quantity > item.stock ? "font-medium text-red-700" : "text-slate-500"}`}
              >
                {item.quantity > item.stock
                  ? item.stock === 0
                    ? "Sold out since you added it: remove it to check out"
                    : `Only ${item.stock} left: lower the quantity to check out`
                  : `${item.stock} left`}
              </p>
            </div>
            <label className="flex items-center gap-2 text-sm">
              <span>Quantity</span>
              <select
                aria-label={`Quantity of ${item.name}`}
                value={item.quantity}
                onChange={(e) => setQuantity.mutate({ productId: item.productId, quantity: Number(e.target.value) })}
                className="rounded-md border border-slate-300 bg-white px-2 py-1"
              >
                {choicesFor(item.stock, item.quantity).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <span className="w-24 text-right font-semibold">{formatCents(item.priceCents * item.quantity)}</span>
            <button
              type="button"
              className={`${secondaryButton} px-3 py-1 text-sm`}
              aria-label={`Remove ${item.name}`}
              onClick={() => removeItem.mutate({ productId: item.productId })}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <aside className={`${panel} h-fit`} aria-label="Summary">
        <p className="flex justify-between text-lg">
          <span>Total</span>
          <strong data-testid="cart-total">{formatCents(cart.data.totalCents)}</strong>
        </p>
        {failure ? (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {failure.message}
          </p>
        ) : null}
        <Link href="/checkout" className={`${primaryButton} mt-4 w-full`}>
          Go to checkout
        </Link>
      </aside>
    </div>
  );
}
