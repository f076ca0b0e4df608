import { env } from "@/env";
import { createAddItem } from "@/server/cart/add-item";
import type { AddItemRequest } from "@/server/cart/schema";
import { createPlaceOrder } from "@/server/checkout/place-order";
import type { PlaceOrderRequest } from "@/server/checkout/schema";
import { type Db, db } from "@/server/db";
import { demoExecutionHooks } from "@/server/demo/execution-hooks";
import { withProviderFaults } from "@/server/demo/faulty-provider";
import { jobFaultSwitch } from "@/server/demo/job-faults";
import { type EventWriter, type EventWriterOptions, eventWriterFor } from "@/server/events/event-writer";
import type { IdempotentOperation } from "@/server/idempotency/operation";
import { type OperationRegistry, resumable } from "@/server/idempotency/recovery";
import type { EngineConfig } from "@/server/idempotency/types";
import type { JobWorkerOptions } from "@/server/jobs/worker";
import type { PaymentProvider } from "@/server/payments/provider";
import { SimulatedProvider } from "@/server/payments/simulated-provider";

/** The request type of each keyed operation, by its name in `operations`. */
export type KeyedRequests = { placeOrder: PlaceOrderRequest; addItem: AddItemRequest };

/** Everything a request or a worker needs, wired once; tests build their own with another database. */
export type Services = {
  db: Db;
  provider: PaymentProvider;
  engine: EngineConfig;
  /** Request events outside a first execution's final phase, written in batches. */
  events: EventWriter;
  faultsEnabled: boolean;
  /** The in-app job worker's delivery hooks: the dashboard's job-fault switch in the demo, none otherwise. */
  jobHooks: JobWorkerOptions["hooks"];
  adminPassword: string;
  operations: { [K in keyof KeyedRequests]: IdempotentOperation<KeyedRequests[K]> };
  registry: OperationRegistry;
};

export type ServiceOptions = {
  db: Db;
  providerLatencyMs?: number;
  /** Another provider client (tests wrap the simulated one to die at a chosen point). */
  provider?: (simulated: PaymentProvider) => PaymentProvider;
  engine?: Partial<EngineConfig>;
  events?: EventWriterOptions;
  faultsEnabled?: boolean;
  adminPassword?: string;
};

/**
 * The composition root. With DEMO_FAULTS=on (and only then) the demo's fault injection is wired in here:
 * the engine's hooks, a wrapper around the provider client and the job worker's delivery hooks; nothing
 * below knows about it.
 */
export function createServices(options: ServiceOptions): Services {
  const faultsEnabled = options.faultsEnabled ?? env.DEMO_FAULTS === "on";
  const engine: EngineConfig = {
    leaseMs: env.IDEMPOTENCY_LEASE_MS,
    ttlMs: env.IDEMPOTENCY_TTL_MS,
    duplicateWindowMs: env.DUPLICATE_WINDOW_MS,
    maxFailures: env.RECOVERY_MAX_FAILURES,
    ...(faultsEnabled ? { hooks: demoExecutionHooks } : {}),
    ...options.engine,
  };
  const simulated = new SimulatedProvider(options.db, options.providerLatencyMs ?? env.PROVIDER_LATENCY_MS);
  const client = options.provider ? options.provider(simulated) : simulated;
  const provider = faultsEnabled ? withProviderFaults(client) : client;
  const placeOrder = createPlaceOrder({ db: options.db, provider });
  const addItem = createAddItem();
  const registry: OperationRegistry = new Map([
    [placeOrder.name, resumable(placeOrder)],
    [addItem.name, resumable(addItem)],
  ]);
  return {
    db: options.db,
    provider,
    engine,
    events: eventWriterFor(options.db, options.events),
    faultsEnabled,
    jobHooks: faultsEnabled ? jobFaultSwitch().hooks : undefined,
    adminPassword: options.adminPassword ?? env.ADMIN_PASSWORD,
    operations: { placeOrder, addItem },
    registry,
  };
}

let defaults: Services | undefined;
/** The process's services over the configured database. */
export const defaultServices = (): Services => {
  defaults ??= createServices({ db });
  return defaults;
};
