import type { Metadata } from "next";
import { Catalog } from "@/components/catalog";

export const metadata: Metadata = { title: "Shop" };

export default function ShopPage() {
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold tracking-tight">Shop</h1>
      <Catalog />
    </>
  );
}
