import type { Metadata } from "next";
import { CartView } from "@/components/cart/cart-view";

export const metadata: Metadata = { title: "Your cart" };

export default function CartPage() {
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold tracking-tight">Your cart</h1>
      <CartView />
    </>
  );
}
