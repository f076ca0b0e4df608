import { insufficientStock, shortagesOf } from "@/server/catalog/insufficient-stock";
import type { Tx } from "@/server/db";
import { DomainError } from "@/server/errors";
import type { PlaceOrderRequest } from "./schema";
import type { PendingOrder } from "./settle-order";

/**
 * Phase 1's writes: reserve stock and create the order PENDING_PAYMENT, priced from the database
 * (never from the client). Runs inside the phase transaction; any throw rolls all of it back.
 */
export async function createPendingOrder(
  tx: Tx,
  args: {
    userId: string;
    /** Null only for the demo's unsafe baseline, which has no idempotency record. */
    recordId: string | null;
    intentHash: string;
    request: PlaceOrderRequest;
    confirmedRepeat: boolean;
  },
): Promise<PendingOrder> {
  const { items, payment } = args.request;
  const lines: { productId: string; quantity: number; unitPriceCents: number }[] = [];
  const failed: typeof items = [];
  for (const item of items) {
    // Race: two orders taking the last units. The decrement is conditional on enough stock, so the
    // loser's update returns no row and its whole transaction rolls back: stock never goes negative. The same
    // statement returns the price, so the happy path reads no product twice.
    const [reserved] = await tx.product.updateManyAndReturn({
      where: { id: item.productId, stock: { gte: item.quantity } },
      data: { stock: { decrement: item.quantity } },
      select: { priceCents: true },
    });
    if (reserved)
      lines.push({ productId: item.productId, quantity: item.quantity, unitPriceCents: reserved.priceCents });
    else failed.push(item);
  }
  // A line that reserved nothing is an unknown product or a short one: told apart only on this refusal
  // path. Every such line is named in one refusal; the throw rolls back the decrements that did succeed.
  if (failed.length > 0) {
    const { shortages, unknown } = await shortagesOf(tx, failed);
    if (unknown.length > 0) {
      throw new DomainError("UNKNOWN_PRODUCT", `unknown product: ${unknown.join(", ")}`, {
        details: { productIds: unknown.join(",") },
      });
    }
    throw insufficientStock(shortages);
  }

  const totalCents = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
  // Race: a resumed attempt and the recovery worker both in phase 1. Order.idempotencyRecordId is unique
  // (and the lease guard, or the new record's insert, ran first), so at most one order per record can ever commit.
  // The order, then its lines in one statement: a nested create would read the order back a third time.
  const order = await tx.order.create({
    data: {
      userId: args.userId,
      idempotencyRecordId: args.recordId,
      totalCents,
      paymentToken: payment.token,
      intentHash: args.intentHash,
      confirmedRepeat: args.confirmedRepeat,
    },
    select: { id: true },
  });
  await tx.orderItem.createMany({ data: lines.map((line) => ({ ...line, orderId: order.id })) });
  return { id: order.id, totalCents, items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })) };
}
