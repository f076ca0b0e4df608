import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "checkout_process_" });
  return {
    registry,
    requests: new Counter({
      name: "checkout_keyed_requests_total",
      help: "Keyed requests by operation and outcome (one per RequestEvent written by the server).",
      labelNames: ["operation", "outcome"] as const,
      registers: [registry],
    }),
    clientReports: new Counter({
      name: "checkout_client_reports_total",
      help: "What browsers reported they absorbed themselves (CLIENT_DEDUPED, CLIENT_RETRY).",
      labelNames: ["operation", "kind"] as const,
      registers: [registry],
    }),
    executionLatency: new Histogram({
      name: "checkout_execution_latency_seconds",
      help: "Latency of keyed requests that executed (first time or resumed after a lease takeover).",
      labelNames: ["operation"] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    replayLatency: new Histogram({
      name: "checkout_replay_latency_seconds",
      help: "Latency of keyed requests answered by replaying the stored response.",
      labelNames: ["operation"] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    recordsInProgress: new Gauge({
      name: "checkout_idempotency_records_in_progress",
      help: "Idempotency records still IN_PROGRESS, read from the database at scrape time.",
      registers: [registry],
    }),
    unrecordedRequests: new Counter({
      name: "checkout_unrecorded_requests_total",
      help: "Requests refused without writing a row: anonymous keyed requests, rate-limited client reports.",
      labelNames: ["operation", "reason"] as const,
      registers: [registry],
    }),
    recoveryActions: new Counter({
      name: "checkout_recovery_worker_actions_total",
      help: "Recovery worker actions: recovered, failed, abandoned (poison), contended (another instance won), swept (expired keys).",
      labelNames: ["action"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

// One registry per process: Next.js may evaluate this module once per route bundle (and again on every
// hot reload), and prom-client refuses a second metric of the same name, so the instance lives on globalThis.
const cache: typeof globalThis & { __checkoutMetrics?: Metrics } = globalThis;
export const metrics: Metrics = cache.__checkoutMetrics ?? createMetrics();
cache.__checkoutMetrics = metrics;
