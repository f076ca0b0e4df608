import type { CheckoutIntent } from "@/client/intent-key";

/** A message under the pay button; orderId links to a declined order. */
export type Notice = { tone: "error" | "info"; text: string; orderId?: string };

/** A suspected duplicate intent, waiting for the shopper's choice in the dialog. */
export type Duplicate = {
  intent: CheckoutIntent;
  orderId: string | null;
  /** Another key of this intent (another tab) still being processed: no order to date it by yet. */
  inProgressKey: string | null;
  secondsAgo: number;
};
