import { CartView } from "@/components/cart/cart-view";

export default function CartPage() {
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold tracking-tight">Your cart</h1>
      <CartView />
    </>
  );
}
