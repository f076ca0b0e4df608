import { createHash } from "node:crypto";
import type { Db } from "@/server/db";
import { canonicalJson } from "@/server/lib/canonical-json";

export type ReviewedOrder = {
  userId: string;
  totalCents: number;
  items: { productId: string; quantity: number; unitPriceCents: number }[];
};

/**
 * What the fraud model is asked about: only the fields that change its answer (user, items, amounts,
 * model version). Ids and timestamps are left out on purpose, so two equal requests hash equal.
 */
function reviewContent(order: ReviewedOrder, modelVersion: string) {
  const items = [...order.items]
    .map((i) => ({ productId: i.productId, quantity: i.quantity, unitPriceCents: i.unitPriceCents }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
  return { model: modelVersion, userId: order.userId, totalCents: order.totalCents, items };
}

const contentHashOf = (content: ReturnType<typeof reviewContent>): string =>
  createHash("sha256").update(canonicalJson(content)).digest("hex");

/** One order's review request: its content hash (the cache's and the model key's) and the prompt. */
export async function reviewRequestOf(db: Db, orderId: string, modelVersion: string) {
  const order = await db.order.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      userId: true,
      totalCents: true,
      items: { select: { productId: true, quantity: true, unitPriceCents: true } },
    },
  });
  const content = reviewContent(order, modelVersion);
  return {
    contentHash: contentHashOf(content),
    prompt: `Rate the fraud risk of this order from 0 to 99: ${canonicalJson(content)}`,
  };
}
