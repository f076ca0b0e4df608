import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createPendingOrder } from "@/server/checkout/create-order";
import { PLACE_ORDER } from "@/server/checkout/place-order";
import {
  canonicalOrderRequest,
  type PlaceOrderRequest,
  type PlaceOrderResponse,
  placeOrderOutput,
} from "@/server/checkout/schema";
import { settleOrder } from "@/server/checkout/settle-order";
import { type Db, sqlOf } from "@/server/db";
import { DomainError } from "@/server/errors";
import type { EventWriter } from "@/server/events/event-writer";
import { fingerprint } from "@/server/idempotency/fingerprint";
import { type Charge, type PaymentProvider, ProviderTimeoutError } from "@/server/payments/provider";
import { OPERATIONS } from "@/shared/names";
import { currentFault } from "./fault-scope";

const PLACE_ORDER_UNSAFE = OPERATIONS.placeOrderUnsafe;

type Deps = { db: Db; provider: PaymentProvider; events: EventWriter };

/**
 * The demo's baseline WITHOUT idempotency: the protected path's order and settlement writes, but every
 * call reserves stock, creates an order and charges the card under a fresh random provider key. A double
 * click or a blind retry therefore really charges twice; the demo and the e2e suite use it to prove that
 * the defences (and the tests) can see the difference. Never reachable unless DEMO_FAULTS=on (the router
 * answers 404 otherwise).
 */
export async function placeOrderUnsafe(
  { db, provider, events }: Deps,
  userId: string,
  input: PlaceOrderRequest,
): Promise<PlaceOrderResponse> {
  const started = performance.now();
  const fault = currentFault();
  if (fault?.kind === "delay") await sleep(fault.ms);
  if (fault?.kind === "db-busy") {
    throw new DomainError("TRANSIENT_FAILURE", "simulated fault: database busy", { retryAfterMs: 1_000 });
  }
  const request = canonicalOrderRequest(input);
  const order = await sqlOf(db).transaction(async (tx) => {
    const pending = await createPendingOrder(tx, {
      userId,
      recordId: null,
      intentHash: fingerprint(PLACE_ORDER, request),
      request,
      confirmedRepeat: false,
    });
    // Marked in the order's own transaction, so no unsafe order is ever taken for a keyed one by the audit.
    await tx.run(`INSERT INTO "UnsafeOrder" ("orderId") VALUES ($1)`, [pending.id]);
    return pending;
  });

  let charge: Charge;
  try {
    charge = await provider.charge({
      providerKey: `unsafe:${randomUUID()}`,
      amountCents: order.totalCents,
      token: request.payment.token,
    });
  } catch (error) {
    if (!(error instanceof ProviderTimeoutError)) throw error;
    // Without a key there is nothing to resume: the charge stays without its payment (the audit shows it).
    throw new DomainError("TRANSIENT_FAILURE", "the payment provider did not answer", { retryAfterMs: 1_000 });
  }
  if (fault?.kind === "crash-after-charge") {
    throw new DomainError("SIMULATED_CRASH", "the server died right after the charge (simulated, unsafe baseline)");
  }

  // The same final writes as the protected path (payment, status, jobs, cart), only without a record.
  const settled = await sqlOf(db).transaction((tx) => settleOrder(tx, { userId, order, charge }));
  await events.record({
    userId,
    operation: PLACE_ORDER_UNSAFE,
    key: null,
    recordId: null,
    outcome: "UNSAFE_EXECUTED",
    httpStatus: fault?.kind === "lose-response" ? 504 : 201,
    reason: null,
    attempt: 1,
    latencyMs: performance.now() - started,
    amountCents: order.totalCents,
  });
  if (fault?.kind === "lose-response") {
    throw new DomainError("RESPONSE_LOST", "the response was lost on the way (simulated); the order was placed");
  }
  return placeOrderOutput.parse(settled.body);
}
