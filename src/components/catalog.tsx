"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatCents } from "@/client/money";
import { LoadError, Loading } from "@/components/load-state";
import { useAddToCartClient, useTRPC } from "@/trpc/react";
import { ProductImage } from "./product-image";
import { panel, primaryButton } from "./ui";
import { useSession } from "./use-session";

type AddState = { productId: string; pending: boolean; message: string; error: boolean };

export function Catalog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSession();
  const adder = useAddToCartClient();
  const products = useQuery(trpc.catalog.list.queryOptions());
  const cart = useQuery({ ...trpc.cart.get.queryOptions(), enabled: !!session });
  const inCart = new Map(cart.data?.items.map((i) => [i.productId, i.quantity]) ?? []);
  const [state, setState] = useState<Record<string, AddState>>({});

  const add = async (productId: string, name: string) => {
    const { promise, deduped } = adder.add(productId, 1);
    if (deduped) return;
    setState((s) => ({ ...s, [productId]: { productId, pending: true, message: "Adding…", error: false } }));
    const outcome = await promise;
    const message =
      outcome.kind === "added"
        ? `Added: ${outcome.line.quantity} × ${name} in your cart`
        : outcome.kind === "refused"
          ? outcome.message
          : "Could not reach the shop; try again.";
    setState((s) => ({ ...s, [productId]: { productId, pending: false, message, error: outcome.kind !== "added" } }));
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.cart.get.queryKey() }),
      // A refusal may mean the stock moved since the page loaded: show the current figure.
      queryClient.invalidateQueries({ queryKey: trpc.catalog.list.queryKey() }),
    ]);
  };

  if (products.isPending) return <Loading what="the catalog" />;
  if (products.isError) return <LoadError what="the catalog" error={products.error} />;
  return (
    <ul aria-label="Catalog" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {products.data.map((p) => {
        const s = state[p.id];
        const mine = inCart.get(p.id) ?? 0;
        const allInCart = mine > 0 && mine >= p.stock;
        return (
          <li key={p.id} className={`${panel} flex flex-col`} data-testid="product" data-product-id={p.id}>
            <ProductImage productId={p.id} size={56} />
            <h2 className="mt-3 font-semibold">{p.name}</h2>
            <p className="mt-1 text-sm text-slate-600">{p.description}</p>
            <p className="mt-3 flex items-baseline justify-between">
              <span className="text-lg font-semibold">{formatCents(p.priceCents)}</span>
              <span className="text-xs text-slate-500" data-testid="availability">
                {p.stock === 0 ? "Sold out" : `${p.stock} in stock`}
                {mine > 0 ? ` · ${mine} in your cart` : ""}
              </span>
            </p>
            <div className="mt-4 flex flex-1 flex-col justify-end gap-2">
              {session ? (
                <button
                  type="button"
                  className={primaryButton}
                  aria-busy={s?.pending ?? false}
                  aria-label={`Add ${p.name} to cart`}
                  onClick={() => void add(p.id, p.name)}
                  disabled={p.stock === 0 || allInCart}
                >
                  {s?.pending ? "Adding…" : p.stock === 0 ? "Sold out" : allInCart ? "All in your cart" : "Add to cart"}
                </button>
              ) : session === null ? (
                <Link href="/signin" className="text-sm font-medium text-indigo-700 hover:underline">
                  Sign in to buy
                </Link>
              ) : null}
              <p role="status" className={`min-h-5 text-sm ${s?.error ? "text-red-700" : "text-emerald-700"}`}>
                {s && !s.pending ? s.message : ""}
              </p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
