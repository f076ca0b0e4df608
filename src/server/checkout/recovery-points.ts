import { FINISHED, STARTED } from "@/server/idempotency/types";

/**
 * checkout.placeOrder's recovery points, in order (docs/protocol.md section 4). PAYMENT_CHARGED is no longer
 * written: a resumption at ORDER_CREATED repeats the charge under the same provider key and gets the
 * original back, so recording it cost a commit for nothing. Records left there by an earlier version resume
 * by looking the charge up.
 */
export const OrderPoint = {
  STARTED,
  ORDER_CREATED: "ORDER_CREATED",
  PAYMENT_CHARGED: "PAYMENT_CHARGED",
  FINISHED,
} as const;

/** The outside effect of placeOrder, as named to Execution.effectDone (and the demo's crash-after-charge). */
export const CHARGE_EFFECT = "charge";

/**
 * The provider's idempotency key of a record's charge. The record is durable before the charge is sent (the
 * first phase commits it, and neither database acknowledges a commit it could lose: docs/protocol.md section
 * 9), so a retry can never derive a second key for the same intent.
 */
export const providerKeyFor = (recordId: string): string => `${recordId}:charge`;
