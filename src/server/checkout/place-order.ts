import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import type { Execution } from "@/server/idempotency/execution";
import { fingerprint } from "@/server/idempotency/fingerprint";
import type { IdempotentOperation } from "@/server/idempotency/operation";
import type { Json, StoredResponse } from "@/server/idempotency/types";
import { type Charge, type PaymentProvider, ProviderTimeoutError } from "@/server/payments/provider";
import { OPERATIONS } from "@/shared/names";
import { createPendingOrder } from "./create-order";
import { CHARGE_EFFECT, OrderPoint, providerKeyFor } from "./recovery-points";
import { canonicalOrderRequest, type PlaceOrderRequest, placeOrderRequest } from "./schema";
import { loadPendingOrder, type PendingOrder, settleOrder } from "./settle-order";
import { restock } from "./stock";

export const PLACE_ORDER = OPERATIONS.placeOrder;

/** The duplicate net's check: a recent order of the same intent that did not fail. */
const RECENT_TWIN = `SELECT "id" FROM "Order" WHERE "userId" = $1 AND "intentHash" = $2 AND "createdAt" >= $3
  AND "status" NOT IN ('PAYMENT_FAILED', 'CANCELLED') ORDER BY "createdAt" DESC LIMIT 1`;
const CANCEL_PENDING = `UPDATE "Order" SET "status" = 'CANCELLED', "updatedAt" = $1
  WHERE "idempotencyRecordId" = $2 AND "status" = 'PENDING_PAYMENT' RETURNING "id"`;
const ITEMS_OF_ORDER = `SELECT "productId", "quantity" FROM "OrderItem" WHERE "orderId" = $1`;

type Deps = { db: Db; provider: PaymentProvider };

/**
 * checkout.placeOrder as a state machine over recovery points (docs/protocol.md section 4):
 * STARTED -(tx: record, reserve stock, order PENDING_PAYMENT)-> ORDER_CREATED -(provider charge, keyed by
 * the record)-> (tx: payment, order PAID/PAYMENT_FAILED, jobs, record COMPLETED, the request's event)-> FINISHED.
 * Any attempt, or the recovery worker, re-enters at the recorded point and reaches the same result: from
 * ORDER_CREATED it charges again under the same provider key and gets the original charge back.
 * The uninterrupted path costs three durable commits: the first phase, the provider's, the final phase.
 */
export function createPlaceOrder({ db, provider }: Deps): IdempotentOperation<PlaceOrderRequest> {
  /** ORDER_CREATED: the keyed charge (a repeat under the same key returns the original charge). */
  const charge = async (exec: Execution, order: PendingOrder, token: string): Promise<Charge> => {
    let made: Charge;
    try {
      made = await provider.charge({
        providerKey: providerKeyFor(exec.recordId),
        amountCents: order.totalCents,
        token,
      });
    } catch (error) {
      if (error instanceof ProviderTimeoutError) {
        throw new DomainError("TRANSIENT_FAILURE", "the payment provider did not answer; retry with the same key", {
          retryAfterMs: 1_000,
          details: { cause: "PROVIDER_TIMEOUT" },
          cause: error,
        });
      }
      throw error;
    }
    await exec.effectDone(CHARGE_EFFECT);
    return made;
  };

  /** A record left at PAYMENT_CHARGED by an earlier version: the charge was made, so it is looked up by its key. */
  const retrieveCharge = async (exec: Execution): Promise<Charge> => {
    const made = await provider.retrieve(providerKeyFor(exec.recordId));
    if (!made) throw new Error(`record ${exec.recordId} is at PAYMENT_CHARGED but the provider has no charge`);
    return made;
  };

  return {
    name: PLACE_ORDER,
    parseRequest: (json) => placeOrderRequest.parse(json),
    canonicalInput: (input) => canonicalOrderRequest(input),

    async run(exec, input): Promise<StoredResponse> {
      const request = canonicalOrderRequest(input);
      const intentHash = fingerprint(PLACE_ORDER, request);
      // What this attempt already knows, so the uninterrupted path reads nothing back; a resumed attempt
      // starts with nothing and loads what it needs.
      let order: PendingOrder | null = null;
      for (;;) {
        switch (exec.recoveryPoint) {
          case OrderPoint.STARTED:
            order = await exec.step(OrderPoint.ORDER_CREATED, (tx) =>
              createPendingOrder(tx, {
                userId: exec.userId,
                recordId: exec.recordId,
                intentHash,
                request,
                confirmedRepeat: exec.confirmedRepeat,
              }),
            );
            break;
          case OrderPoint.ORDER_CREATED:
          case OrderPoint.PAYMENT_CHARGED: {
            const pending = order ?? (await loadPendingOrder(db, exec.recordId));
            const settled =
              exec.recoveryPoint === OrderPoint.PAYMENT_CHARGED
                ? await retrieveCharge(exec)
                : await charge(exec, pending, request.payment.token);
            await exec.finish((tx) => settleOrder(tx, { userId: exec.userId, order: pending, charge: settled }));
            break;
          }
          case OrderPoint.FINISHED: {
            const done = exec.response;
            if (!done) throw new Error(`record ${exec.recordId} finished without a response`);
            return done;
          }
          default:
            throw new Error(`unknown recovery point ${exec.recoveryPoint}`);
        }
      }
    },

    /** A poison record's order is cancelled and its reserved stock goes back. */
    async abandon(tx, recordId) {
      // Race: only a still-pending order is cancelled, by a conditional update, so its stock is released once.
      const [cancelled] = await tx.rows<{ id: string }>(CANCEL_PENDING, [new Date(), recordId]);
      if (!cancelled) return;
      await restock(tx, await tx.rows<{ productId: string; quantity: number }>(ITEMS_OF_ORDER, [cancelled.id]));
    },

    async findRecentDuplicate({ userId, fingerprint: intentHash, since }, client) {
      const [earlier] = await client.rows<{ id: string }>(RECENT_TWIN, [userId, intentHash, since]);
      return earlier ?? null;
    },

    resultOfRecord: (recordId) =>
      db.order.findUnique({ where: { idempotencyRecordId: recordId }, select: { id: true } }),

    amountOf: (body: Json) =>
      typeof body === "object" && body !== null && !Array.isArray(body) && typeof body.totalCents === "number"
        ? body.totalCents
        : null,
  };
}
