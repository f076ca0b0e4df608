import type { AddItemTransport } from "@/client/add-to-cart";
import type { CheckoutTransport } from "@/client/checkout-client";
import type { CallHeaders, ClientReport } from "@/client/idempotent-mutation";
import type { AppClient, CallContext } from "./react";

/** Runs one call and returns its data with the HTTP status the response observer saw. */
async function withStatus<T>(
  headers: CallHeaders,
  run: (context: CallContext) => Promise<T>,
): Promise<{ data: T; status: number }> {
  let status = 0;
  const data = await run({ headers, onResponse: (response) => (status = response.status) });
  return { data, status };
}

const reporter =
  (client: AppClient) =>
  (report: ClientReport): void => {
    // Fire and forget: a report lost while offline must never disturb the checkout.
    client.events.reportClient.mutate(report).catch(() => undefined);
  };

export function checkoutTransport(client: AppClient): CheckoutTransport {
  return {
    placeOrder: async (input, headers) => {
      const { data, status } = await withStatus(headers, (context) =>
        client.checkout.placeOrder.mutate(input, { context }),
      );
      return { order: data, status };
    },
    placeOrderUnsafe: async (input, headers) => {
      const { data, status } = await withStatus(headers, (context) =>
        client.checkout.placeOrderUnsafe.mutate(input, { context }),
      );
      return { order: data, status };
    },
    status: (key) => client.checkout.status.query({ idempotencyKey: key }),
    report: reporter(client),
  };
}

export function addItemTransport(client: AppClient): AddItemTransport {
  return {
    addItem: (input, headers) => client.cart.addItem.mutate(input, { context: { headers } }),
    report: reporter(client),
  };
}
