import type { SqlClient } from "@/server/lib/sql";

/**
 * Race: two orders taking the last units. The decrement is conditional on enough stock, so the loser's
 * update returns no row (and its phase rolls back): stock never goes negative. It returns the price, so the
 * happy path reads no product twice.
 */
const RESERVE = `UPDATE "Product" SET "stock" = "stock" - $1 WHERE "id" = $2 AND "stock" >= $1 RETURNING "priceCents"`;
const RESTOCK = `UPDATE "Product" SET "stock" = "stock" + $1 WHERE "id" = $2`;

/** Reserves `quantity` of a product: its unit price, or null if it is unknown or short. */
export async function reserve(tx: SqlClient, productId: string, quantity: number): Promise<number | null> {
  const [reserved] = await tx.rows<{ priceCents: number }>(RESERVE, [quantity, productId]);
  return reserved ? reserved.priceCents : null;
}

/** Gives reserved stock back (a declined charge, a cancelled order). */
export async function restock(tx: SqlClient, items: readonly { productId: string; quantity: number }[]): Promise<void> {
  for (const item of items) await tx.run(RESTOCK, [item.quantity, item.productId]);
}
