import type { Db } from "@/server/db";

/** At most this many twins are listed: a storm of repeats still gets a bounded answer (and a count). */
const MAX_TWINS = 20;

type Twin = { id: string; createdAt: string; status: string; charged: boolean; unsafeBaseline: boolean };
export type Twins = {
  /** The other orders of this shopper for the same cart and card within the duplicate window, oldest first. */
  orders: Twin[];
  /** How many more there were beyond the list. */
  more: number;
  /** Successful charges among this order and all its twins: how many times the card paid for this cart. */
  timesCharged: number;
};

type Of = { id: string; userId: string; intentHash: string; createdAt: Date };

/**
 * The same shopper's orders of the same intent (items and payment, by intentHash) placed within the
 * duplicate window either side of this one: what a double click or a blind retry leaves behind without the
 * defences. Reads the (userId, intentHash, createdAt) index.
 */
export async function twinsOf(db: Db, order: Of, windowMs: number): Promise<Twins> {
  const sameIntent = {
    userId: order.userId,
    intentHash: order.intentHash,
    createdAt: {
      gte: new Date(order.createdAt.getTime() - windowMs),
      lte: new Date(order.createdAt.getTime() + windowMs),
    },
  };
  const where = { ...sameIntent, id: { not: order.id } };
  const [found, total, charged] = await Promise.all([
    db.order.findMany({
      where,
      orderBy: { createdAt: "asc" },
      take: MAX_TWINS,
      select: {
        id: true,
        createdAt: true,
        status: true,
        unsafe: { select: { orderId: true } },
        payment: { select: { status: true } },
      },
    }),
    db.order.count({ where }),
    db.payment.count({
      where: { status: "SUCCEEDED", order: sameIntent },
    }),
  ]);
  return {
    orders: found.map((o) => ({
      id: o.id,
      createdAt: o.createdAt.toISOString(),
      status: o.status,
      charged: o.payment?.status === "SUCCEEDED",
      unsafeBaseline: o.unsafe !== null,
    })),
    more: total - found.length,
    timesCharged: charged,
  };
}
