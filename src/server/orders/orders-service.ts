import { z } from "zod";
import { providerKeyFor } from "@/server/checkout/recovery-points";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import type { ChargeStatus, PaymentProvider } from "@/server/payments/provider";

export const orderIdInput = z.strictObject({ id: z.string().trim().min(1).max(64) });

const orderView = {
  id: true,
  status: true,
  totalCents: true,
  paymentToken: true,
  createdAt: true,
  items: {
    select: { productId: true, quantity: true, unitPriceCents: true, product: { select: { name: true, emoji: true } } },
  },
  payment: { select: { chargeId: true, status: true, amountCents: true } },
} as const;

/** Only ever the caller's own orders: the userId is part of every query, never a filter applied after. */
export const listOrders = (db: Db, userId: string) =>
  db.order.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 100, select: orderView });

/**
 * One of the caller's orders. A PENDING_PAYMENT order is being finished by a retry or the recovery worker;
 * for it the provider's own record (looked up by the order's provider key) tells "charged, finishing"
 * apart from "not charged", which the app's tables cannot tell until the final phase commits.
 */
export async function getOrder(db: Db, provider: PaymentProvider, userId: string, id: string) {
  const found = await db.order.findFirst({
    where: { id, userId },
    select: { ...orderView, idempotencyRecordId: true },
  });
  // Another user's order id gets the same answer as a made-up one: nothing leaks.
  if (!found) throw new DomainError("NOT_FOUND", "no such order");
  const { idempotencyRecordId, ...order } = found;
  let providerCharge: { status: ChargeStatus } | null = null;
  if (order.status === "PENDING_PAYMENT" && idempotencyRecordId) {
    const charge = await provider.retrieve(providerKeyFor(idempotencyRecordId));
    providerCharge = charge ? { status: charge.status } : null;
  }
  return { ...order, providerCharge };
}
