import type { Db } from "@/server/db";

export type IdRow = { id: string };

type PaidOrder = { id: string; group: string; createdAt: Date | string | number };

const timeOf = (o: PaidOrder): number => new Date(o.createdAt).getTime();

/**
 * The double charges only the unsafe demo baseline can make: a PAID order written without a key (listed in
 * the demo's UnsafeOrder table) that
 * repeats an earlier PAID order of the same shopper and intent (items + card) within the duplicate
 * window. SQL keeps only intents paid more than once with an unkeyed order among them (bounded), and the
 * window is checked over those rows here, which stays portable across both databases' date arithmetic.
 */
export async function unkeyedRepeatCharges(db: Db, windowMs: number): Promise<IdRow[]> {
  const rows = await db.$queryRaw<(PaidOrder & { unsafeOrderId: string | null })[]>`
    SELECT o.id AS id, o."userId" || ':' || o."intentHash" AS "group", u."orderId" AS "unsafeOrderId",
           o."createdAt" AS "createdAt"
    FROM "Order" o
    JOIN (SELECT p."userId", p."intentHash" FROM "Order" p LEFT JOIN "UnsafeOrder" pu ON pu."orderId" = p.id
          WHERE p.status = 'PAID'
          GROUP BY p."userId", p."intentHash"
          HAVING COUNT(*) > 1 AND COUNT(pu."orderId") > 0
          LIMIT 5000) g ON g."userId" = o."userId" AND g."intentHash" = o."intentHash"
    LEFT JOIN "UnsafeOrder" u ON u."orderId" = o.id
    WHERE o.status = 'PAID'
    ORDER BY o."createdAt", o.id`;
  const previous = new Map<string, number>();
  const repeats: IdRow[] = [];
  for (const o of rows) {
    const at = timeOf(o);
    const last = previous.get(o.group);
    if (o.unsafeOrderId !== null && last !== undefined && at - last <= windowMs) repeats.push({ id: o.id });
    previous.set(o.group, at);
  }
  return repeats;
}

/**
 * What the duplicate-intent net exists to prevent: two PAID keyed orders of one shopper and intent within
 * the duplicate window, neither of them a confirmed repeat. A confirmed repeat may fall on either side of
 * the order it repeats (a slow first tab can finish after the repeat its twin confirmed), so a pair is a
 * miss only when both are unconfirmed. Reports the later order of each such pair. SQL keeps only intents
 * with at least two unconfirmed PAID keyed orders (bounded); the window is checked here, as above.
 */
export async function keyedRepeatCharges(db: Db, windowMs: number): Promise<IdRow[]> {
  const rows = await db.$queryRaw<PaidOrder[]>`
    SELECT o.id AS id, o."userId" || ':' || o."intentHash" AS "group", o."createdAt" AS "createdAt"
    FROM "Order" o
    JOIN (SELECT p."userId", p."intentHash" FROM "Order" p
          WHERE p.status = 'PAID' AND NOT p."confirmedRepeat"
            AND NOT EXISTS (SELECT 1 FROM "UnsafeOrder" pu WHERE pu."orderId" = p.id)
          GROUP BY p."userId", p."intentHash"
          HAVING COUNT(*) > 1
          LIMIT 5000) g ON g."userId" = o."userId" AND g."intentHash" = o."intentHash"
    WHERE o.status = 'PAID' AND NOT o."confirmedRepeat"
      AND NOT EXISTS (SELECT 1 FROM "UnsafeOrder" u WHERE u."orderId" = o.id)
    ORDER BY o."createdAt", o.id`;
  const previous = new Map<string, number>();
  const misses: IdRow[] = [];
  for (const o of rows) {
    const at = timeOf(o);
    const last = previous.get(o.group);
    if (last !== undefined && at - last <= windowMs) misses.push({ id: o.id });
    previous.set(o.group, at);
  }
  return misses;
}
