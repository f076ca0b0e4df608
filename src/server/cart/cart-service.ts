import { insufficientStock } from "@/server/catalog/insufficient-stock";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";

export type CartView = {
  items: { productId: string; name: string; emoji: string; priceCents: number; quantity: number; stock: number }[];
  totalCents: number;
};

export async function getCart(db: Db, userId: string): Promise<CartView> {
  const cart = await db.cart.findUnique({
    where: { userId },
    select: {
      items: {
        orderBy: { productId: "asc" },
        select: {
          quantity: true,
          product: { select: { id: true, name: true, emoji: true, priceCents: true, stock: true } },
        },
      },
    },
  });
  const items = (cart?.items ?? []).map((i) => ({
    productId: i.product.id,
    name: i.product.name,
    emoji: i.product.emoji,
    priceCents: i.product.priceCents,
    stock: i.product.stock,
    quantity: i.quantity,
  }));
  return { items, totalCents: items.reduce((s, i) => s + i.priceCents * i.quantity, 0) };
}

/** Setting an absolute quantity is idempotent by nature: no key needed. 0 removes the line. */
export async function setQuantity(db: Db, userId: string, productId: string, quantity: number): Promise<CartView> {
  if (quantity === 0) return removeItem(db, userId, productId);
  const product = await db.product.findUnique({
    where: { id: productId },
    select: { id: true, name: true, stock: true },
  });
  if (!product) throw new DomainError("UNKNOWN_PRODUCT", `unknown product: ${productId}`);
  // A courtesy check, not a reservation: checkout still reserves stock atomically when the order is placed.
  if (quantity > product.stock) {
    throw insufficientStock([{ productId, name: product.name, available: product.stock, requested: quantity }]);
  }
  // Race: concurrent first writes to a cart. A non-empty update makes this one INSERT ... ON CONFLICT (see add-item.ts).
  const cart = await db.cart.upsert({
    where: { userId },
    create: { userId },
    update: { userId },
    select: { id: true },
  });
  await db.cartItem.upsert({
    where: { cartId_productId: { cartId: cart.id, productId } },
    create: { cartId: cart.id, productId, quantity },
    update: { quantity },
  });
  return getCart(db, userId);
}

export async function removeItem(db: Db, userId: string, productId: string): Promise<CartView> {
  await db.cartItem.deleteMany({ where: { productId, cart: { userId } } });
  return getCart(db, userId);
}
