import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { env } from "@/env";
import type { Db } from "@/server/db";
import { dialectOf } from "@/server/db";
import { AttemptDied } from "@/server/lib/attempt-died";
import { observeJobPass } from "@/server/metrics/observe";
import { type Backoff, defaultBackoff } from "./backoff";
import { SimulatedMailer } from "./external/mailer";
import { SimulatedModelClient } from "./external/model-client";
import { fraudReview } from "./fraud-review";
import type { DeliveryHooks, HandlerOutcome, JobHandlers } from "./handler";
import { buryExhausted, claimJobs, failJob } from "./lease";
import { sendConfirmation } from "./send-confirmation";
import { type ClaimedJob, JobLeaseLostError, type JobPassReport, JobType, UnknownJobTypeError } from "./types";

export const MODEL_VERSION = "fraud-model-2026-11";

const consumers: JobHandlers = {
  [JobType.SEND_CONFIRMATION]: sendConfirmation,
  [JobType.FRAUD_REVIEW]: fraudReview,
};

export type JobWorkerOptions = {
  workerId?: string;
  leaseMs?: number;
  maxAttempts?: number;
  /** Deliveries claimed (and run concurrently) per pass. */
  batchSize?: number;
  backoff?: Backoff;
  /** The consumer of each job type; the idempotent ones of this folder unless another set is given. */
  handlers?: JobHandlers;
  modelLatencyMs?: number;
  modelVersion?: string;
  /** The hooks of one delivery, asked once per delivery (the demo's job faults); none in production. */
  hooks?: (job: ClaimedJob) => DeliveryHooks | null;
};

export type JobWorker = {
  readonly id: string;
  /** One pass: bury exhausted deliveries, claim a batch, run it. */
  runOnce(): Promise<JobPassReport>;
  /** Passes every intervalMs (at once again while batches come back full); returns stop(). */
  start(intervalMs: number): () => Promise<void>;
};

const emptyReport = (): JobPassReport => ({
  claimed: 0,
  done: 0,
  absorbed: 0,
  cached: 0,
  retried: 0,
  dead: 0,
  crashed: 0,
  lost: 0,
  buried: 0,
});

/**
 * An at-least-once job worker. Any number may run, in the app process or as `npm run worker`: a delivery is
 * owned through a lease claimed by conditional update, and every consumer is idempotent, so a redelivery
 * (expired lease, lost acknowledgement) changes nothing.
 */
export function createJobWorker(db: Db, options: JobWorkerOptions = {}): JobWorker {
  const id = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const lease = {
    workerId: id,
    leaseMs: options.leaseMs ?? env.JOB_LEASE_MS,
    maxAttempts: options.maxAttempts ?? env.JOB_MAX_ATTEMPTS,
  };
  const backoff = options.backoff ?? defaultBackoff;
  const handlers = options.handlers ?? consumers;
  const mailer = new SimulatedMailer(db);
  const model = new SimulatedModelClient(db, options.modelLatencyMs ?? env.MODEL_LATENCY_MS);
  const modelVersion = options.modelVersion ?? MODEL_VERSION;
  const batchSize = options.batchSize ?? 10;

  async function deliver(job: ClaimedJob, report: JobPassReport): Promise<void> {
    try {
      const handler = handlers[job.type];
      if (!handler) throw new UnknownJobTypeError(job.type);
      const hooks = options.hooks?.(job) ?? {};
      await hooks.beforeHandle?.();
      const outcome: HandlerOutcome = await handler({
        db,
        job,
        mailer,
        model: hooks.model?.(model) ?? model,
        modelVersion,
        effectMade: async () => hooks.afterEffect?.(),
      });
      report[outcome]++;
    } catch (error) {
      if (error instanceof AttemptDied) {
        // Like a killed process: nothing more happens here; the lease expires and the job is redelivered.
        report.crashed++;
        return;
      }
      if (error instanceof JobLeaseLostError) {
        report.lost++;
        return;
      }
      const next = await failJob(db, job, error, { maxAttempts: lease.maxAttempts, backoff });
      if (next === "dead") report.dead++;
      else if (next === "retry") report.retried++;
      else report.lost++;
    }
  }

  async function runOnce(): Promise<JobPassReport> {
    const report = emptyReport();
    const postgres = (await dialectOf(db)) === "postgresql";
    report.buried = await buryExhausted(db, lease.maxAttempts);
    const claimed = await claimJobs(db, postgres, lease, batchSize);
    report.claimed = claimed.length;
    await Promise.all(claimed.map((job) => deliver(job, report)));
    observeJobPass(report);
    return report;
  }

  function start(intervalMs: number): () => Promise<void> {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let current: Promise<void> = Promise.resolve();
    const tick = () => {
      current = runOnce()
        .then((r) => {
          if (r.dead || r.buried || r.crashed) console.log(`[jobs ${id}] ${JSON.stringify(r)}`);
          return r.claimed >= batchSize;
        })
        .catch((error: unknown) => {
          console.error(`[jobs ${id}] pass failed`, error);
          return false;
        })
        .then((full) => {
          if (stopped) return;
          timer = setTimeout(tick, full ? 0 : intervalMs);
          timer.unref();
        });
    };
    tick();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    };
  }

  return { id, runOnce, start };
}

/**
 * The app process's job worker (next to the recovery worker); JOBS_INTERVAL_MS=0 disables it. `hooks` are
 * wired by the composition root (the demo's job faults with DEMO_FAULTS=on).
 */
export function startJobWorker(
  db: Db,
  { hooks, intervalMs = env.JOBS_INTERVAL_MS }: { hooks?: JobWorkerOptions["hooks"]; intervalMs?: number } = {},
): () => Promise<void> {
  if (intervalMs <= 0) return async () => {};
  return createJobWorker(db, { hooks }).start(intervalMs);
}
