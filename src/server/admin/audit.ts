import { env } from "@/env";
import type { Db } from "@/server/db";
import { ABANDONED, FINISHED } from "@/server/idempotency/types";
import { retentionCutoff } from "@/server/retention";
import { type IdRow, keyedRepeatCharges, unkeyedRepeatCharges } from "./repeat-charges";

type Invariant = { name: string; description: string; violations: number; ids: string[] };
export type AuditReport = { ok: boolean; checkedAt: string; invariants: Invariant[] };

const MAX_IDS = 50;

const invariant = (name: string, description: string, rows: IdRow[]): Invariant => ({
  name,
  description,
  violations: rows.length,
  ids: rows.slice(0, MAX_IDS).map((r) => String(r.id)),
});

/**
 * Checks every invariant of docs/protocol.md (section 6) against the database. Written in SQL both SQLite
 * and PostgreSQL accept (quoted identifiers, || for concatenation), grouped in the database.
 * A charge whose record is still in progress is work under way (the recovery worker finishes it), not a
 * violation; records stuck in progress are reported on their own.
 */
export async function audit(
  db: Db,
  {
    duplicateWindowMs = env.DUPLICATE_WINDOW_MS,
    retentionDays = env.RETENTION_DAYS,
  }: { duplicateWindowMs?: number; retentionDays?: number } = {},
): Promise<AuditReport> {
  const now = new Date();
  // Events and provider charges older than this may have been deleted by the retention sweep.
  const retained = retentionCutoff(now.getTime(), retentionDays);
  const [
    ordersPerKey,
    paymentsPerOrder,
    chargesPerKey,
    chargeWithoutPayment,
    paymentMismatch,
    paidWithoutPayment,
    stockDrift,
    negativeStock,
    recordWithoutEvent,
    stuck,
    abandoned,
    unkeyedRepeats,
    keyedRepeats,
  ] = await Promise.all([
    db.$queryRaw<
      IdRow[]
    >`SELECT r."userId" || ':' || r."key" AS id FROM "Order" o JOIN "IdempotencyRecord" r ON r.id = o."idempotencyRecordId" GROUP BY r."userId", r."key" HAVING COUNT(*) > 1`,
    db.$queryRaw<IdRow[]>`SELECT "orderId" AS id FROM "Payment" GROUP BY "orderId" HAVING COUNT(*) > 1`,
    db.$queryRaw<IdRow[]>`SELECT "providerKey" AS id FROM "ProviderCharge" GROUP BY "providerKey" HAVING COUNT(*) > 1`,
    db.$queryRaw<IdRow[]>`SELECT c.id AS id FROM "ProviderCharge" c
        LEFT JOIN "Payment" p ON p."chargeId" = c.id
        LEFT JOIN "IdempotencyRecord" r ON c."providerKey" = r.id || ':charge'
        WHERE c.status = 'SUCCEEDED' AND p.id IS NULL AND (r.id IS NULL OR r.status <> 'IN_PROGRESS')`,
    db.$queryRaw<IdRow[]>`SELECT p.id AS id FROM "Payment" p JOIN "Order" o ON o.id = p."orderId"
        LEFT JOIN "ProviderCharge" c ON c.id = p."chargeId"
        WHERE (p.status = 'SUCCEEDED') <> (o.status = 'PAID') OR (c.id IS NULL AND p."createdAt" >= ${retained})
          OR c.status <> p.status`,
    db.$queryRaw<IdRow[]>`SELECT o.id AS id FROM "Order" o LEFT JOIN "Payment" p ON p."orderId" = o.id
        WHERE o.status = 'PAID' AND p.id IS NULL`,
    db.$queryRaw<IdRow[]>`SELECT pr.id AS id FROM "Product" pr
        LEFT JOIN (SELECT oi."productId" AS pid, SUM(oi.quantity) AS sold FROM "OrderItem" oi
          JOIN "Order" o ON o.id = oi."orderId" WHERE o.status NOT IN ('PAYMENT_FAILED', 'CANCELLED') GROUP BY oi."productId") s ON s.pid = pr.id
        WHERE pr.stock + COALESCE(s.sold, 0) <> pr."initialStock"`,
    db.$queryRaw<IdRow[]>`SELECT id FROM "Product" WHERE stock < 0`,
    db.$queryRaw<IdRow[]>`SELECT r.id AS id FROM "IdempotencyRecord" r WHERE r."createdAt" >= ${retained}
        AND r."recoveryPoint" = ${FINISHED}
        AND NOT EXISTS (SELECT 1 FROM "RequestEvent" e WHERE e."userId" = r."userId" AND e."key" = r."key")`,
    db.$queryRaw<
      IdRow[]
    >`SELECT id FROM "IdempotencyRecord" WHERE status = 'IN_PROGRESS' AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now}) AND "updatedAt" < ${new Date(now.getTime() - 5 * 60_000)}`,
    db.$queryRaw<IdRow[]>`SELECT id FROM "IdempotencyRecord" WHERE "recoveryPoint" = ${ABANDONED}`,
    unkeyedRepeatCharges(db, duplicateWindowMs),
    keyedRepeatCharges(db, duplicateWindowMs),
  ]);

  const invariants = [
    invariant("orders_per_key", "orders per (user, key) <= 1", ordersPerKey),
    invariant("payments_per_order", "payments per order <= 1", paymentsPerOrder),
    invariant("charges_per_provider_key", "provider charges per provider key <= 1", chargesPerKey),
    invariant("charge_without_payment", "every successful provider charge has its payment", chargeWithoutPayment),
    invariant(
      "payment_matches_order_and_charge",
      "payment status = charge status, and succeeded payment = order PAID",
      paymentMismatch,
    ),
    invariant("paid_order_without_payment", "every PAID order has its payment", paidWithoutPayment),
    invariant("stock_consistent", "stock + sold (orders neither failed nor cancelled) = initial stock", stockDrift),
    invariant("stock_not_negative", "stock never negative", negativeStock),
    // Only a finished record's event is written with it (same transaction); the events of replays, refusals and
    // failed attempts are batched, and a kill -9 may lose the last EVENT_FLUSH_MS of them (docs/protocol.md).
    invariant(
      "record_has_event",
      "every finished record has the event of the request that finished it",
      recordWithoutEvent,
    ),
    invariant("no_stuck_records", "no record left in progress without a lease for 5 minutes", stuck),
    invariant(
      "no_abandoned_records",
      "no record abandoned as poison (final RECOVERY_ABANDONED after repeated failed resumptions; order cancelled, stock released): each needs a look",
      abandoned,
    ),
    invariant(
      "no_unkeyed_repeat_charge",
      "no intent charged twice without a key (an unsafe-baseline order repeating a paid order of the same shopper and items within the duplicate window)",
      unkeyedRepeats,
    ),
    invariant(
      "no_unconfirmed_repeat_charge",
      "no two PAID keyed orders of one shopper with the same intent within the duplicate window unless one of them was a confirmed repeat (the duplicate-intent net missed)",
      keyedRepeats,
    ),
  ];
  return { ok: invariants.every((i) => i.violations === 0), checkedAt: now.toISOString(), invariants };
}
