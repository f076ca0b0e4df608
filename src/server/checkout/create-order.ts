import { insufficientStock, shortagesOf } from "@/server/catalog/insufficient-stock";
import { DomainError } from "@/server/errors";
import { rowId } from "@/server/lib/row-id";
import { type SqlClient, valueRows } from "@/server/lib/sql";
import type { PlaceOrderRequest } from "./schema";
import type { PendingOrder } from "./settle-order";
import { reserve } from "./stock";

const INSERT_ORDER = `INSERT INTO "Order" ("id", "userId", "idempotencyRecordId", "status", "totalCents", "paymentToken",
  "intentHash", "confirmedRepeat", "createdAt", "updatedAt") VALUES ($1, $2, $3, 'PENDING_PAYMENT', $4, $5, $6, $7, $8, $8)`;
const insertItems = (lines: number) =>
  `INSERT INTO "OrderItem" ("id", "orderId", "productId", "quantity", "unitPriceCents") VALUES ${valueRows(lines, 5)}`;

/**
 * Phase 1's writes: reserve stock and create the order PENDING_PAYMENT, priced from the database
 * (never from the client). Runs inside the phase transaction; any throw rolls all of it back.
 */
export async function createPendingOrder(
  tx: SqlClient,
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
    // Race: two orders taking the last units: see reserve. A short line rolls the whole phase back.
    const unitPriceCents = await reserve(tx, item.productId, item.quantity);
    if (unitPriceCents !== null) lines.push({ productId: item.productId, quantity: item.quantity, unitPriceCents });
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
  // The order, then its lines in one statement.
  const orderId = rowId();
  await tx.run(INSERT_ORDER, [
    orderId,
    args.userId,
    args.recordId,
    totalCents,
    payment.token,
    args.intentHash,
    args.confirmedRepeat,
    new Date(),
  ]);
  await tx.run(
    insertItems(lines.length),
    lines.flatMap((l) => [rowId(), orderId, l.productId, l.quantity, l.unitPriceCents]),
  );
  return { id: orderId, totalCents, items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })) };
}
