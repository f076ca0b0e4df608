import { z } from "zod";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";

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

export async function getOrder(db: Db, userId: string, id: string) {
  const order = await db.order.findFirst({ where: { id, userId }, select: orderView });
  // Another user's order id gets the same answer as a made-up one: nothing leaks.
  if (!order) throw new DomainError("NOT_FOUND", "no such order");
  return order;
}
