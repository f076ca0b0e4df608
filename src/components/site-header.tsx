"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { signInHref } from "@/client/return-to";
import { useTRPC } from "@/trpc/react";
import { useSession } from "./use-session";

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const pathname = usePathname();
  const current = href === "/" ? pathname === "/" : pathname.startsWith(href);
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:font-semibold aria-[current=page]:text-slate-900"
    >
      {children}
    </Link>
  );
}

export function SiteHeader() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSession();
  const cart = useQuery({ ...trpc.cart.get.queryOptions(), enabled: !!session });
  const demo = useQuery(trpc.demo.config.queryOptions());
  const count = cart.data?.items.reduce((sum, i) => sum + i.quantity, 0) ?? 0;
  const pathname = usePathname();
  const signOut = useMutation(
    trpc.session.signOut.mutationOptions({
      // Reset, not invalidate: every cached answer (cart count, orders) belonged to the shopper who left,
      // and must not show while the refetch runs or for the next shopper on this browser.
      onSuccess: () => queryClient.resetQueries(),
    }),
  );
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link href="/" className="mr-2 font-semibold tracking-tight text-indigo-700">
          Retry-safe checkout
        </Link>
        <NavLink href="/">Shop</NavLink>
        <NavLink href="/cart">
          Cart{" "}
          <span
            data-testid="cart-count"
            className="ml-1 inline-flex min-w-5 justify-center rounded-full bg-indigo-100 px-1.5 text-xs font-semibold text-indigo-800"
          >
            <span className="sr-only">items: </span>
            {count}
          </span>
        </NavLink>
        <NavLink href="/orders">Orders</NavLink>
        {session?.isAdmin ? <NavLink href="/admin">Admin</NavLink> : null}
        {demo.data?.faultsEnabled ? <NavLink href="/try">Tour</NavLink> : null}
        <span className="ml-auto text-sm text-slate-600" data-testid="session">
          {session ? (
            <>
              Signed in as <strong className="text-slate-900">{session.name}</strong>
              {session.isAdmin ? " (admin)" : ""}{" "}
              <button
                type="button"
                onClick={() => signOut.mutate()}
                className="ml-2 rounded px-2 py-1 text-indigo-700 hover:bg-indigo-50"
              >
                Sign out
              </button>
            </>
          ) : session === null ? (
            <Link
              href={signInHref(pathname)}
              className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-700"
            >
              Sign in
            </Link>
          ) : null}
        </span>
      </nav>
    </header>
  );
}
