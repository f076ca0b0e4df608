"use client";

import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpLink, splitLink, type TRPCClient, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { keyedPaths } from "./keyed-paths";
import { makeQueryClient } from "./query-client";

const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export { useTRPC, useTRPCClient };
export type AppClient = TRPCClient<AppRouter>;

/**
 * Per-call options riding in the operation context: headers (Idempotency-Key, X-Retry-Attempt, X-Fault)
 * and an observer of the raw HTTP response, so the UI can show the real status (201 vs 200 replayed).
 */
export type CallContext = { headers?: Record<string, string>; onResponse?: (response: Response) => void };

const url = "/api/trpc";

const callContext = (context: Record<string, unknown>): CallContext => context as CallContext;

/** Hands the HTTP response of a call (success or error) to its onResponse observer, if it has one. */
const observeResponse: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    observable((observer) => {
      const { onResponse } = callContext(op.context);
      const seen = (response: unknown) => {
        if (onResponse && response instanceof Response) onResponse(response);
      };
      return next(op).subscribe({
        next(result) {
          seen(result.context?.response);
          observer.next(result);
        },
        error(error) {
          seen(error.meta?.response);
          observer.error(error);
        },
        complete() {
          observer.complete();
        },
      });
    });

function createClient(): AppClient {
  return createTRPCClient<AppRouter>({
    links: [
      observeResponse,
      splitLink({
        condition: (op) => keyedPaths.has(op.path),
        true: httpLink({ url, headers: ({ op }) => callContext(op.context).headers ?? {} }),
        false: httpBatchLink({ url }),
      }),
    ],
  });
}

let browserQueryClient: QueryClient | undefined;
const getQueryClient = () => {
  if (typeof window === "undefined") return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
};

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(createClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
