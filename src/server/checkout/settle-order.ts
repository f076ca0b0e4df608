import type { Db } from "@/server/db";
import type { StoredResponse } from "@/server/idempotency/types";
import { enqueueOrderJobs } from "@/server/jobs/enqueue";
import { rowId } from "@/server/lib/row-id";
import { placeholders, type SqlClient } from "@/server/lib/sql";
import type { Charge } from "@/server/payments/provider";
import type { PlaceOrderResponse } from "./schema";
import { restock } from "./stock";

const INSERT_PAYMENT = `INSERT INTO "Payment" ("id", "orderId", "chargeId", "amountCents", "status", "createdAt")
  VALUES ($1, $2, $3, $4, $5, $6)`;
const SET_STATUS = `UPDATE "Order" SET "status" = $1, "updatedAt" = $2 WHERE "id" = $3`;
const removeFromCart = (lines: number) =>
  `DELETE FROM "CartItem" WHERE "cartId" IN (SELECT "id" FROM "Cart" WHERE "userId" = $1)
  AND "productId" IN (${placeholders(lines, 2)})`;

export type PendingOrder = { id: string; totalCents: number; items: { productId: string; quantity: number }[] };

/** A resumed attempt's order, read before its final phase (outside it). */
export const loadPendingOrder = (db: Db, recordId: string): Promise<PendingOrder> =>
  db.order.findUniqueOrThrow({
    where: { idempotencyRecordId: recordId },
    select: { id: true, totalCents: true, items: { select: { productId: true, quantity: true } } },
  });

/**
 * The final phase's writes, from the provider's charge: the payment, the order's final status, its jobs
 * (outbox) and cart lines for a paid order, the stock back for a declined one. Returns the response to store.
 */
export async function settleOrder(
  tx: SqlClient,
  args: { userId: string; order: PendingOrder; charge: Charge },
): Promise<StoredResponse> {
  const { order, charge } = args;
  const paid = charge.status === "SUCCEEDED";
  // Payment.orderId and Payment.chargeId are unique: one payment per order and per charge, whoever finishes.
  const now = new Date();
  await tx.run(INSERT_PAYMENT, [rowId(), order.id, charge.id, charge.amountCents, charge.status, now]);
  await tx.run(SET_STATUS, [paid ? "PAID" : "PAYMENT_FAILED", now, order.id]);
  if (paid) {
    // Outbox: the jobs commit with the PAID order or not at all. A declined order gets none: no goods ship,
    // nothing to review, and the shopper already saw the decline in the response.
    await enqueueOrderJobs(tx, order.id);
    // The bought lines leave the cart in the same transaction, so a paid cart is not paid again by a stale
    // tab (a declined order keeps the cart for the next card).
    await tx.run(removeFromCart(order.items.length), [args.userId, ...order.items.map((i) => i.productId)]);
  } else {
    await restock(tx, order.items);
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
