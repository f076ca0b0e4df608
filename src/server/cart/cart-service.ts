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
  const product = await db.product.findUnique({ where: { id: productId }, select: { id: true } });
  if (!product) throw new DomainError("UNKNOWN_PRODUCT", `unknown product: ${productId}`);
  const cart = await db.cart.upsert({ where: { userId }, create: { userId }, update: {}, select: { id: true } });
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

export async function clearCart(db: Db, userId: string): Promise<void> {
  await db.cartItem.deleteMany({ where: { cart: { userId } } });
}
