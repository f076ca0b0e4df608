"use client";

import { AddToCartClient } from "@/client/add-to-cart";
import { CheckoutClient } from "@/client/checkout-client";
import {
  type CheckoutIntent,
  checkoutFingerprint,
  IntentKeyStore,
  type KeyStorage,
  memoryStorage,
  parseCheckoutIntent,
} from "@/client/intent-key";
import { sleepUntilOnline } from "@/client/online";
import { OPERATIONS } from "@/shared/names";
import { type AppClient, useTRPCClient } from "@/trpc/react";
import { addItemTransport, checkoutTransport } from "@/trpc/transports";

const sessionStorageOrMemory = (): KeyStorage => {
  try {
    return window.sessionStorage;
  } catch {
    return memoryStorage();
  }
};

// One per tRPC client (one per tab): the in-flight map must outlive any single component's mount.
const checkoutClients = new WeakMap<AppClient, CheckoutClient>();
const addToCartClients = new WeakMap<AppClient, AddToCartClient>();

export function useCheckoutClient(): CheckoutClient {
  const trpc = useTRPCClient();
  let client = checkoutClients.get(trpc);
  if (!client) {
    const keys = new IntentKeyStore<CheckoutIntent>(sessionStorageOrMemory(), {
      operation: OPERATIONS.placeOrder,
      fingerprint: checkoutFingerprint,
      parseIntent: parseCheckoutIntent,
    });
    client = new CheckoutClient({
      keys,
      transport: checkoutTransport(trpc),
      random: Math.random,
      sleep: sleepUntilOnline,
    });
    checkoutClients.set(trpc, client);
  }
  return client;
}

export function useAddToCartClient(): AddToCartClient {
  const trpc = useTRPCClient();
  let client = addToCartClients.get(trpc);
  if (!client) {
    client = new AddToCartClient({ transport: addItemTransport(trpc), random: Math.random, sleep: sleepUntilOnline });
    addToCartClients.set(trpc, client);
  }
  return client;
}
