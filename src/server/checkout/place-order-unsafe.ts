import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { insufficientStock, shortagesOf } from "@/server/catalog/insufficient-stock";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { recordEvent } from "@/server/events/record-event";
import type { Fault } from "@/server/faults";
import { fingerprint } from "@/server/idempotency/fingerprint";
import { type PaymentProvider, ProviderTimeoutError } from "@/server/payments/provider";
import { OPERATIONS } from "@/shared/names";
import { PLACE_ORDER } from "./place-order";
import { canonicalOrderRequest, type PlaceOrderRequest, type PlaceOrderResponse, placeOrderOutput } from "./schema";
import { settleOrder } from "./settle-order";

export const PLACE_ORDER_UNSAFE = OPERATIONS.placeOrderUnsafe;

type Deps = { db: Db; provider: PaymentProvider };

/**
 * The demo's baseline WITHOUT idempotency: every call reserves stock, creates an order and charges the
 * card under a fresh random provider key. A double click or a blind retry therefore really charges twice;
 * the demo and the e2e suite use it to prove that the defences (and the tests) can see the difference.
 * Never reachable unless DEMO_FAULTS=on (the router answers 404 otherwise).
 */
export async function placeOrderUnsafe(
  { db, provider }: Deps,
  userId: string,
  input: PlaceOrderRequest,
  fault: Fault | null,
): Promise<PlaceOrderResponse> {
  const started = performance.now();
  if (fault?.kind === "delay") await sleep(fault.ms);
  if (fault?.kind === "db-busy") {
    throw new DomainError("TRANSIENT_FAILURE", "simulated fault: database busy", { retryAfterMs: 1_000 });
  }
  const request = canonicalOrderRequest(input);
  const order = await db.$transaction(async (tx) => {
    const products = await tx.product.findMany({
      where: { id: { in: request.items.map((i) => i.productId) } },
      select: { id: true, priceCents: true },
    });
    const price = new Map(products.map((p) => [p.id, p.priceCents]));
    let totalCents = 0;
    for (const item of request.items) {
      const unit = price.get(item.productId);
      if (unit === undefined) throw new DomainError("UNKNOWN_PRODUCT", `unknown product: ${item.productId}`);
      // Stock itself stays consistent even here: the decrement is conditional on enough stock.
      const reserved = await tx.product.updateMany({
        where: { id: item.productId, stock: { gte: item.quantity } },
        data: { stock: { decrement: item.quantity } },
      });
      if (reserved.count !== 1) throw insufficientStock(await shortagesOf(tx, [item]));
      totalCents += unit * item.quantity;
    }
    return tx.order.create({
      data: {
        userId,
        idempotencyRecordId: null,
        unsafeBaseline: true,
        totalCents,
        paymentToken: request.payment.token,
        intentHash: fingerprint(PLACE_ORDER, request),
        items: {
          create: request.items.map((i) => ({
            productId: i.productId,
            quantity: i.quantity,
            unitPriceCents: price.get(i.productId) ?? 0,
          })),
        },
      },
      select: { id: true, totalCents: true, items: { select: { productId: true, quantity: true } } },
    });
  });

  let charge: Awaited<ReturnType<PaymentProvider["charge"]>>;
  try {
    charge = await provider.charge(
      { providerKey: `unsafe:${randomUUID()}`, amountCents: order.totalCents, token: request.payment.token },
      { timeoutAfterCharge: fault?.kind === "provider-timeout-after-charge" },
    );
  } catch (error) {
    if (!(error instanceof ProviderTimeoutError)) throw error;
    // Without a key there is nothing to resume: the charge stays without its payment (the audit shows it).
    throw new DomainError("TRANSIENT_FAILURE", "the payment provider did not answer", { retryAfterMs: 1_000 });
  }
  if (fault?.kind === "crash-after-charge") {
    throw new DomainError("SIMULATED_CRASH", "the server died right after the charge (simulated, unsafe baseline)");
  }

  // The same final writes as the protected path (payment, status, jobs, cart), only without a record.
  const settled = await db.$transaction((tx) => settleOrder(tx, { userId, order, charge }));
  await recordEvent(db, {
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
