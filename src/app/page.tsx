import type { Metadata } from "next";
import { Catalog } from "@/components/catalog";

// The root layout's title template applies to child segments only, not to its own page.
export const metadata: Metadata = { title: { absolute: "Shop · Retry-safe checkout" } };

export default function ShopPage() {
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold tracking-tight">Shop</h1>
      <Catalog />
    </>
  );
}
