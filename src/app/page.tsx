import { Catalog } from "@/components/catalog";

export default function ShopPage() {
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold tracking-tight">Shop</h1>
      <Catalog />
    </>
  );
}
