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
  const products = await tx.product.findMany({
    where: { id: { in: items.map((i) => i.productId) } },
    select: { id: true, priceCents: true },
  });
  const price = new Map(products.map((p) => [p.id, p.priceCents]));
  const unknown = items.filter((i) => !price.has(i.productId)).map((i) => i.productId);
  if (unknown.length > 0) {
    throw new DomainError("UNKNOWN_PRODUCT", `unknown product: ${unknown.join(", ")}`, {
      details: { productIds: unknown.join(",") },
    });
  }

  const short: typeof items = [];
  for (const item of items) {
    // Race: two orders taking the last units. The decrement is conditional on enough stock, so the
    // loser's count is 0 and its whole transaction rolls back: stock never goes negative.
    const reserved = await tx.product.updateMany({
      where: { id: item.productId, stock: { gte: item.quantity } },
      data: { stock: { decrement: item.quantity } },
    });
    if (reserved.count !== 1) short.push(item);
  }
  // Every short line is named in one refusal; the throw rolls back the decrements that did succeed.
  if (short.length > 0) throw insufficientStock(await shortagesOf(tx, short));

  const lines = items.map((i) => ({
    productId: i.productId,
    quantity: i.quantity,
    unitPriceCents: price.get(i.productId) ?? 0,
  }));
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
