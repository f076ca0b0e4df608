import type { Tx } from "@/server/db";
import type { StoredResponse } from "@/server/idempotency/types";
import { enqueueOrderJobs } from "@/server/jobs/enqueue";
import type { Charge } from "@/server/payments/provider";
import type { PlaceOrderResponse } from "./schema";

export type PendingOrder = { id: string; totalCents: number; items: { productId: string; quantity: number }[] };

export const loadPendingOrder = (tx: Tx, recordId: string): Promise<PendingOrder> =>
  tx.order.findUniqueOrThrow({
    where: { idempotencyRecordId: recordId },
    select: { id: true, totalCents: true, items: { select: { productId: true, quantity: true } } },
  });

/**
 * The final phase's writes, from the provider's charge: the payment, the order's final status, its jobs
 * (outbox) and cart lines for a paid order, the stock back for a declined one. Returns the response to store.
 */
export async function settleOrder(
  tx: Tx,
  args: { userId: string; order: PendingOrder; charge: Charge },
): Promise<StoredResponse> {
  const { order, charge } = args;
  const paid = charge.status === "SUCCEEDED";
  // Payment.orderId and Payment.chargeId are unique: one payment per order and per charge, whoever finishes.
  await tx.payment.create({
    data: { orderId: order.id, chargeId: charge.id, amountCents: charge.amountCents, status: charge.status },
  });
  await tx.order.update({ where: { id: order.id }, data: { status: paid ? "PAID" : "PAYMENT_FAILED" } });
  if (paid) {
    // Outbox: the jobs commit with the PAID order or not at all. A declined order gets none: no goods ship,
    // nothing to review, and the shopper already saw the decline in the response.
    await enqueueOrderJobs(tx, order.id);
    // The bought lines leave the cart in the same transaction, so a paid cart is not paid again by a stale
    // tab (a declined order keeps the cart for the next card).
    await tx.cartItem.deleteMany({
      where: { cart: { userId: args.userId }, productId: { in: order.items.map((i) => i.productId) } },
    });
  } else {
    for (const item of order.items) {
      await tx.product.update({ where: { id: item.productId }, data: { stock: { increment: item.quantity } } });
    }
  }
  const body: PlaceOrderResponse = {
    orderId: order.id,
    status: paid ? "PAID" : "PAYMENT_FAILED",
    totalCents: order.totalCents,
    chargeId: charge.id,
    replayed: false,
  };
  return { status: 201, body };
}
