import { DomainError } from "@/server/errors";
import { placeholders, type SqlClient } from "@/server/lib/sql";

/** A product the shopper asked for more of than there is. */
export type Shortage = { productId: string; name: string; available: number; requested: number };

const phrase = (s: Shortage): string =>
  s.available === 0
    ? `${s.name} is sold out`
    : `only ${s.available} × ${s.name} ${s.available === 1 ? "is" : "are"} left (you asked for ${s.requested})`;

/**
 * The one INSUFFICIENT_STOCK refusal of the cart and the checkout: names every short product by its name
 * and says how many are available, so the shopper can fix the cart without guessing.
 */
export function insufficientStock(shortages: readonly Shortage[]): DomainError {
  const [first] = shortages;
  const sentence = shortages.map(phrase).join("; ");
  return new DomainError("INSUFFICIENT_STOCK", `Not enough stock: ${sentence}.`, {
    details: first
      ? {
          productIds: shortages.map((s) => s.productId).join(","),
          productId: first.productId,
          productName: first.name,
          available: first.available,
          requested: first.requested,
        }
      : {},
  });
}

/**
 * Reads the names and current stock of the products whose reservation failed, for the refusal; a product
 * that does not exist is returned apart, by its id. Inside the checkout's first phase (the SQL path).
 */
export async function shortagesOf(
  client: SqlClient,
  wanted: readonly { productId: string; quantity: number }[],
): Promise<{ shortages: Shortage[]; unknown: string[] }> {
  const products = await client.rows<{ id: string; name: string; stock: number }>(
    `SELECT "id", "name", "stock" FROM "Product" WHERE "id" IN (${placeholders(wanted.length)})`,
    wanted.map((w) => w.productId),
  );
  const byId = new Map(products.map((p) => [p.id, p]));
  const shortages: Shortage[] = [];
  const unknown: string[] = [];
  for (const w of wanted) {
    const product = byId.get(w.productId);
    if (product) {
      shortages.push({ productId: w.productId, name: product.name, available: product.stock, requested: w.quantity });
    } else unknown.push(w.productId);
  }
  return { shortages, unknown };
}
