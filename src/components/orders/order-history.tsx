"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatCents } from "@/client/money";
import { LoadError, Loading } from "@/components/load-state";
import { useTRPC } from "@/trpc/react";
import { SignInPrompt } from "../sign-in-prompt";
import { StatusBadge } from "../status-badge";
import { linkText, panel } from "../ui";
import { useSession } from "../use-session";

const when = (value: string | Date) =>
  new Date(value).toLocaleString("en-IE", { dateStyle: "medium", timeStyle: "medium" });

export function OrderHistory() {
  const trpc = useTRPC();
  const session = useSession();
  const orders = useQuery({ ...trpc.orders.list.queryOptions(), enabled: !!session });
  if (session === null) return <SignInPrompt what="see your orders" />;
  if (!session || orders.isPending) return <Loading what="your orders" />;
  if (orders.isError) return <LoadError what="your orders" error={orders.error} />;
  if (orders.data.length === 0)
    return (
      <div className={panel}>
        <p>No orders yet.</p>
        <Link href="/" className={`${linkText} mt-2 inline-block`}>
          Browse the shop
        </Link>
      </div>
    );
  return (
    <ul aria-label="Orders" className={`${panel} divide-y divide-slate-100 p-0`}>
      {orders.data.map((o) => (
        <li
          key={o.id}
          data-testid="order-row"
          data-order-id={o.id}
          data-status={o.status}
          className="flex flex-wrap items-center gap-x-6 gap-y-1 p-4"
        >
          <Link href={`/orders/${o.id}`} className={`${linkText} font-mono text-sm`}>
            Order {o.id.slice(-8)}
          </Link>
          <span className="text-sm text-slate-600">{when(o.createdAt)}</span>
          <span className="flex-1 truncate text-sm text-slate-600">
            {o.items.map((i) => `${i.product.name} × ${i.quantity}`).join(", ")}
          </span>
          <StatusBadge status={o.status} />
          <span className="w-24 text-right font-semibold">{formatCents(o.totalCents)}</span>
        </li>
      ))}
    </ul>
  );
}
