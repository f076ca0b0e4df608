import { z } from "zod";
import { PLACE_ORDER } from "@/server/checkout/place-order";
import { OrderPoint, providerKeyFor } from "@/server/checkout/recovery-points";
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import { ABANDONED } from "@/server/idempotency/types";
import type { PaymentProvider } from "@/server/payments/provider";
import { type StoryStep, storySteps } from "./story-steps";
import { type Twins, twinsOf } from "./unsafe-twins";

export const orderStoryInput = z.strictObject({ id: z.string().trim().min(1).max(64) });
export const intentStoryInput = z.strictObject({
  userId: z.string().trim().min(1).max(64),
  key: z.uuid().transform((k) => k.toLowerCase()),
});

/** Steps read per intent: a retry storm on one key still gets a bounded answer. */
const MAX_STEPS = 200;
const POINTS = [OrderPoint.STARTED, OrderPoint.ORDER_CREATED, OrderPoint.PAYMENT_CHARGED, OrderPoint.FINISHED];

export type IntentStory = {
  order: { id: string; status: string; createdAt: string; unsafeBaseline: boolean; confirmedRepeat: boolean } | null;
  /** The idempotency record (null for the unsafe baseline, which has none). */
  intent: {
    key: string;
    operation: string;
    status: "IN_PROGRESS" | "COMPLETED";
    recoveryPoint: string;
    /** The checkout's recovery points in order, each with whether this intent reached it. */
    points: { name: string; reached: boolean }[];
    /** Executions that started on the record (first run, takeovers and resumptions). */
    executions: number;
  } | null;
  steps: StoryStep[];
  /** More steps were recorded than listed. */
  truncated: boolean;
  browser: { clicksAbsorbed: number; retries: number };
  /** key is null for the unsafe baseline, which sends a fresh random provider key with every call. */
  provider: { key: string | null; chargeId: string; status: string; repeatsAnswered: number } | null;
  /** Unsafe-baseline orders only: the other orders of the same cart that the missing defences let through. */
  twins: Twins | null;
};

type StoryDeps = { db: Db; provider: PaymentProvider; duplicateWindowMs: number };

const pointsReached = (recoveryPoint: string) => {
  // A poison record stopped where it was; the stored refusal is its end, not FINISHED.
  const at = recoveryPoint === ABANDONED ? -1 : (POINTS as readonly string[]).indexOf(recoveryPoint);
  return POINTS.map((name, i) => ({ name, reached: i <= at }));
};

async function stepsOf(db: Db, where: { userId: string; key: string }) {
  const events = await db.requestEvent.findMany({
    where,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: MAX_STEPS + 1,
    select: { createdAt: true, outcome: true, httpStatus: true, reason: true, attempt: true },
  });
  const steps = storySteps(events.slice(0, MAX_STEPS));
  return {
    steps,
    truncated: events.length > MAX_STEPS,
    browser: {
      clicksAbsorbed: steps.filter((s) => s.outcome === "click-absorbed").length,
      retries: steps.filter((s) => s.outcome === "browser-retry").length,
    },
  };
}

const orderViewSelect = {
  id: true,
  status: true,
  createdAt: true,
  confirmedRepeat: true,
  unsafe: { select: { orderId: true } },
} as const;

type OrderRow = { id: string; status: string; createdAt: Date; confirmedRepeat: boolean; unsafe: object | null };

/** The order as the story tells it; `unsafeBaseline` from the demo's UnsafeOrder table. */
const orderView = (o: OrderRow): NonNullable<IntentStory["order"]> => ({
  id: o.id,
  status: o.status,
  createdAt: o.createdAt.toISOString(),
  unsafeBaseline: o.unsafe !== null,
  confirmedRepeat: o.confirmedRepeat,
});

/** The story of one (user, key) from the server's records: the record, every event, the provider's ledger. */
async function storyOfKey({ db, provider }: StoryDeps, userId: string, key: string): Promise<IntentStory> {
  const record = await db.idempotencyRecord.findUnique({
    where: { userId_key: { userId, key } },
    select: {
      id: true,
      operation: true,
      status: true,
      recoveryPoint: true,
      attempts: true,
      order: { select: orderViewSelect },
    },
  });
  const told = await stepsOf(db, { userId, key });
  if (!record && told.steps.length === 0) throw new DomainError("NOT_FOUND", "no such intent");
  const charge = record ? await provider.retrieve(providerKeyFor(record.id)) : null;
  return {
    order: record?.order ? orderView(record.order) : null,
    intent: record
      ? {
          key,
          operation: record.operation,
          status: record.status,
          recoveryPoint: record.recoveryPoint,
          // Recovery points belong to the operation: only checkout's are known here.
          points: record.operation === PLACE_ORDER ? pointsReached(record.recoveryPoint) : [],
          executions: record.attempts,
        }
      : null,
    ...told,
    provider: charge
      ? {
          key: charge.providerKey,
          chargeId: charge.id,
          status: charge.status,
          repeatsAnswered: charge.repeatsAnswered,
        }
      : null,
    twins: null,
  };
}

/**
 * The story of one of the caller's orders. Another shopper's order id gets the answer a made-up one gets.
 * An order placed through the unsafe baseline has no key: its story is its own request and its twins.
 */
export async function orderStory(deps: StoryDeps, userId: string, orderId: string): Promise<IntentStory> {
  const order = await deps.db.order.findFirst({
    where: { id: orderId, userId },
    select: {
      ...orderViewSelect,
      userId: true,
      intentHash: true,
      idempotencyRecord: { select: { key: true } },
      payment: { select: { chargeId: true, status: true } },
    },
  });
  if (!order) throw new DomainError("NOT_FOUND", "no such order");
  const view = orderView(order);
  if (order.idempotencyRecord) {
    const story = await storyOfKey(deps, userId, order.idempotencyRecord.key);
    return { ...story, order: view };
  }
  const twins = view.unsafeBaseline ? await twinsOf(deps.db, order, deps.duplicateWindowMs) : null;
  return {
    order: view,
    // The record is gone (past its TTL) or never existed (unsafe baseline): no key, no steps to read by key.
    intent: null,
    steps: [],
    truncated: false,
    browser: { clicksAbsorbed: 0, retries: 0 },
    provider: order.payment
      ? { key: null, chargeId: order.payment.chargeId, status: order.payment.status, repeatsAnswered: 0 }
      : null,
    twins,
  };
}

/** Admins: the same story for any (user, key) of the dashboard's recent intents. */
export const intentStory = (deps: StoryDeps, input: z.infer<typeof intentStoryInput>) =>
  storyOfKey(deps, input.userId, input.key);
