"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";

/** The signed-in shopper (null when signed out, undefined while loading). */
export function useSession() {
  const trpc = useTRPC();
  const me = useQuery(trpc.session.me.queryOptions());
  return me.isPending ? undefined : (me.data ?? null);
}
