import type { Db } from "@/server/db";

export type ProductView = {
  id: string;
  name: string;
  description: string;
  emoji: string;
  priceCents: number;
  stock: number;
};

export const listProducts = (db: Db): Promise<ProductView[]> =>
  db.product.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, description: true, emoji: true, priceCents: true, stock: true },
  });
