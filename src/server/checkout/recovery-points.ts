import { FINISHED, STARTED } from "@/server/idempotency/types";

/** checkout.placeOrder's recovery points, in order (docs/protocol.md section 4). */
export const OrderPoint = {
  STARTED,
  ORDER_CREATED: "ORDER_CREATED",
  PAYMENT_CHARGED: "PAYMENT_CHARGED",
  FINISHED,
} as const;

export const providerKeyFor = (recordId: string): string => `${recordId}:charge`;
