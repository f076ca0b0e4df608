import { OrderHistory } from "@/components/orders/order-history";

export default function OrdersPage() {
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold tracking-tight">Your orders</h1>
      <OrderHistory />
    </>
  );
}
