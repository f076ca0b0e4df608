import type { Metadata } from "next";
import { OrderDetail } from "@/components/orders/order-detail";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id } = await params;
  return { title: `Order ${id}` };
}

export default async function OrderPage({ params }: Params) {
  const { id } = await params;
  return <OrderDetail id={id} />;
}
