"use client";

import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpLink, splitLink, type TRPCClient, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { createContext, type ReactNode, useContext, useState } from "react";
import { AddToCartClient } from "@/client/add-to-cart";
import { CheckoutClient } from "@/client/checkout-client";
import type { CallHeaders, ClientReport } from "@/client/idempotent-mutation";
import {
  type CheckoutIntent,
  checkoutFingerprint,
  IntentKeyStore,
  type KeyStorage,
  memoryStorage,
  parseCheckoutIntent,
} from "@/client/intent-key";
import { sleepUntilOnline } from "@/client/online";
import type { AppRouter } from "@/server/api/root";
import { OPERATIONS } from "@/shared/names";
import { keyedPaths } from "./keyed-paths";
import { makeQueryClient } from "./query-client";

const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export { useTRPC, useTRPCClient };

type AppClient = TRPCClient<AppRouter>;

/**
 * Per-call options riding in the operation context: headers (Idempotency-Key, X-Retry-Attempt, X-Fault)
 * and an observer of the raw HTTP response, so the UI can show the real status (201 vs 200 replayed).
 */
type CallContext = { headers?: Record<string, string>; onResponse?: (response: Response) => void };

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

/** Runs one call with its headers and returns its data with the HTTP status the response observer saw. */
async function withStatus<T>(headers: CallHeaders, run: (context: CallContext) => Promise<T>) {
  let status = 0;
  const data = await run({ headers, onResponse: (response) => (status = response.status) });
  return { data, status };
}

const sessionStorageOrMemory = (): KeyStorage => {
  try {
    return window.sessionStorage;
  } catch {
    return memoryStorage();
  }
};

type KeyedClients = { checkout: CheckoutClient; addToCart: AddToCartClient };

/**
 * The keyed mutations' clients (src/client), one pair per tRPC client, i.e. per tab: their in-flight maps
 * must outlive any single component's mount. Their transports are the tRPC calls, with the attempt's
 * headers (X-Retry-Attempt, X-Fault) riding in the call's context; the key travels in the input.
 */
function createKeyedClients(trpc: AppClient): KeyedClients {
  // Fire and forget: a report lost while offline must never disturb the mutation.
  const report = (r: ClientReport) => void trpc.events.reportClient.mutate(r).catch(() => undefined);
  const keys = new IntentKeyStore<CheckoutIntent>(sessionStorageOrMemory(), {
    operation: OPERATIONS.placeOrder,
    fingerprint: checkoutFingerprint,
    parseIntent: parseCheckoutIntent,
  });
  const checkout = new CheckoutClient({
    keys,
    transport: {
      placeOrder: async (input, headers) => {
        const { data, status } = await withStatus(headers, (context) =>
          trpc.checkout.placeOrder.mutate(input, { context }),
        );
        return { order: data, status };
      },
      placeOrderUnsafe: async (input, headers) => {
        const { data, status } = await withStatus(headers, (context) =>
          trpc.checkout.placeOrderUnsafe.mutate(input, { context }),
        );
        return { order: data, status };
      },
      status: (key) => trpc.checkout.status.query({ idempotencyKey: key }),
      report,
    },
    random: Math.random,
    sleep: sleepUntilOnline,
  });
  const addToCart = new AddToCartClient({
    transport: { addItem: (input, headers) => trpc.cart.addItem.mutate(input, { context: { headers } }), report },
    random: Math.random,
    sleep: sleepUntilOnline,
  });
  return { checkout, addToCart };
}

const KeyedClientsContext = createContext<KeyedClients | null>(null);

const useKeyedClients = (): KeyedClients => {
  const clients = useContext(KeyedClientsContext);
  if (!clients) throw new Error("keyed clients are provided by TRPCReactProvider");
  return clients;
};

/** The tab's checkout client: key per intent, in-flight dedupe, retries, the status watch. */
export const useCheckoutClient = (): CheckoutClient => useKeyedClients().checkout;

/** The tab's add-to-cart client: a key per add, in-flight dedupe per product, retries. */
export const useAddToCartClient = (): AddToCartClient => useKeyedClients().addToCart;

let browserQueryClient: QueryClient | undefined;
const getQueryClient = () => {
  if (typeof window === "undefined") return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
};

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(createClient);
  const [keyedClients] = useState(() => createKeyedClients(trpcClient));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <KeyedClientsContext.Provider value={keyedClients}>{children}</KeyedClientsContext.Provider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
