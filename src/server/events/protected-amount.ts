import type { Db } from "@/server/db";
import type { Reason } from "@/server/errors";

export type RefusedDuplicate = { reason: Reason | null; orderId: unknown; recordId: unknown };

/**
 * Money a refused duplicate would have charged had it executed: the order it duplicates, when that
 * order exists yet (an in-flight twin may not have created its order). Null for anything else.
 * Like recordEvent, it never fails the request it describes.
 */
export async function refusedDuplicateAmount(db: Db, refused: RefusedDuplicate): Promise<number | null> {
  try {
    if (refused.reason === "DUPLICATE_INTENT_SUSPECTED" && typeof refused.orderId === "string") {
      const order = await db.order.findUnique({ where: { id: refused.orderId }, select: { totalCents: true } });
      return order?.totalCents ?? null;
    }
    if (refused.reason === "REQUEST_IN_PROGRESS" && typeof refused.recordId === "string") {
      // One lookup by the unique Order.idempotencyRecordId (the engine names the record it refused for).
      const order = await db.order.findUnique({
        where: { idempotencyRecordId: refused.recordId },
        select: { totalCents: true },
      });
      return order?.totalCents ?? null;
    }
  } catch (error) {
    console.error("[events] could not price a refused duplicate", error);
  }
  return null;
}
