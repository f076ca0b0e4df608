import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function createMetrics() {
  const registry = new Registry();
  // prom-client's default names already say what they are (process_cpu_seconds_total, nodejs_heap_...):
  // one prefix, checkout_, names the app.
  collectDefaultMetrics({ register: registry, prefix: "checkout_" });
  return {
    registry,
    requests: new Counter({
      name: "checkout_keyed_requests_total",
      help: "Keyed requests by operation and outcome (one per RequestEvent written by the server).",
      labelNames: ["operation", "outcome"] as const,
      registers: [registry],
    }),
    unkeyedRequests: new Counter({
      name: "checkout_unkeyed_requests_total",
      help: "Calls of the deliberately unsafe demo procedure (no idempotency key, no protection), by outcome.",
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
      help: "Latency of keyed requests that executed (first time, resumed after a transient failure, or after a lease takeover).",
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
    jobsClaimed: new Counter({
      name: "checkout_jobs_claimed_total",
      help: "Job deliveries claimed by this process's workers (each claim is one delivery attempt).",
      registers: [registry],
    }),
    jobsSucceeded: new Counter({
      name: "checkout_jobs_succeeded_total",
      help: "Job deliveries that completed their job: effect made, answer cached, or redelivery absorbed.",
      registers: [registry],
    }),
    jobsAbsorbed: new Counter({
      name: "checkout_jobs_redeliveries_absorbed_total",
      help: "Job deliveries that found their effect already recorded and did nothing (part of succeeded).",
      registers: [registry],
    }),
    jobsRetried: new Counter({
      name: "checkout_jobs_retried_total",
      help: "Job deliveries that failed and were scheduled again after a back-off.",
      registers: [registry],
    }),
    jobsDead: new Counter({
      name: "checkout_jobs_dead_total",
      help: "Jobs dead-lettered after their last attempt.",
      registers: [registry],
    }),
    jobsByState: new Gauge({
      name: "checkout_jobs",
      help: "Jobs per state (PENDING, RUNNING, SUCCEEDED, DEAD), read from the database at scrape time.",
      labelNames: ["state"] as const,
      registers: [registry],
    }),
    modelTokens: new Gauge({
      name: "checkout_job_model_tokens",
      help: "Model tokens of the jobs, read from the database at scrape time: spent (billed) and saved (by inbox, cache and model idempotency key).",
      labelNames: ["kind"] as const,
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
