import type { Metadata } from "next";
import { OrderHistory } from "@/components/orders/order-history";

export const metadata: Metadata = { title: "Your orders" };

export default function OrdersPage() {
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold tracking-tight">Your orders</h1>
      <OrderHistory />
    </>
  );
}
