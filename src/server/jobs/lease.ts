import type { Db, Tx } from "@/server/db";
import { type Backoff, backoffMs } from "./backoff";
import { type ClaimedJob, JobLeaseLostError } from "./types";

export type LeaseConfig = { workerId: string; leaseMs: number; maxAttempts: number };

const candidateView = { id: true, orderId: true, type: true, leaseVersion: true, attempts: true } as const;
type Candidate = { id: string; orderId: string; type: string; leaseVersion: number; attempts: number };

/** Claimable: pending and due, or running with an expired lease (a crashed or stalled delivery). */
const claimable = (now: Date, maxAttempts: number) => ({
  attempts: { lt: maxAttempts },
  OR: [
    { state: "PENDING" as const, runAfter: { lte: now } },
    { state: "RUNNING" as const, lockedUntil: { lte: now } },
  ],
});

/**
 * Claims up to `limit` deliveries. On PostgreSQL candidates are picked with FOR UPDATE SKIP LOCKED, so
 * concurrent workers pick different rows instead of queueing on the same ones; on both databases the
 * guarantee is the conditional update on the lease version, whose count is checked.
 */
export async function claimJobs(
  db: Db,
  postgres: boolean,
  cfg: LeaseConfig,
  limit: number,
  now: Date = new Date(),
): Promise<ClaimedJob[]> {
  if (!postgres) {
    const candidates = await db.job.findMany({
      where: claimable(now, cfg.maxAttempts),
      select: candidateView,
      orderBy: { runAfter: "asc" },
      take: limit,
    });
    return claimEach(db, cfg, candidates, now);
  }
  return db.$transaction(async (tx) => {
    const candidates = await tx.$queryRaw<Candidate[]>`
      SELECT "id", "orderId", "type", "leaseVersion", "attempts" FROM "Job"
      WHERE "attempts" < ${cfg.maxAttempts}
        AND (("state" = 'PENDING' AND "runAfter" <= ${now}) OR ("state" = 'RUNNING' AND "lockedUntil" <= ${now}))
      ORDER BY "runAfter" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
    return claimEach(tx, cfg, candidates, now);
  });
}

async function claimEach(db: Tx, cfg: LeaseConfig, candidates: Candidate[], now: Date): Promise<ClaimedJob[]> {
  const claimed: ClaimedJob[] = [];
  for (const c of candidates) {
    // Race: two workers read the same candidate. The update is conditional on the lease version both read
    // (and on the row still being claimable), so exactly one gets count 1 and owns this delivery.
    const won = await db.job.updateMany({
      where: { id: c.id, leaseVersion: c.leaseVersion, ...claimable(now, cfg.maxAttempts) },
      data: {
        state: "RUNNING",
        lockedUntil: new Date(now.getTime() + cfg.leaseMs),
        lockedBy: cfg.workerId,
        leaseVersion: { increment: 1 },
        attempts: { increment: 1 },
      },
    });
    if (won.count === 1) claimed.push({ ...c, leaseVersion: c.leaseVersion + 1, attempts: c.attempts + 1 });
  }
  return claimed;
}

/**
 * Deliveries that died (lease expired) on their last allowed attempt are not redelivered again: they go
 * DEAD. Conditional, so it never buries a job a live worker still holds.
 */
export async function buryExhausted(db: Db, maxAttempts: number, now: Date = new Date()): Promise<number> {
  const buried = await db.job.updateMany({
    where: { state: "RUNNING", attempts: { gte: maxAttempts }, lockedUntil: { lte: now } },
    data: { state: "DEAD", lockedUntil: null, lastError: `lease expired on attempt ${maxAttempts} of ${maxAttempts}` },
  });
  return buried.count;
}

export type Completion = { absorbed: boolean; tokensSaved: number };

/**
 * Marks the delivery SUCCEEDED and runs the effect's own record writes in the same transaction. The
 * first statement proves the lease is still ours (and on PostgreSQL takes the row lock), so a stale
 * delivery whose lease expired and was claimed again commits nothing.
 */
export async function completeJob(
  db: Db,
  job: ClaimedJob,
  done: Completion,
  record?: (tx: Tx) => Promise<void>,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const fenced = await tx.job.updateMany({
      where: { id: job.id, leaseVersion: job.leaseVersion, state: "RUNNING" },
      data: {
        state: "SUCCEEDED",
        lockedUntil: null,
        completedAt: new Date(),
        lastError: null,
        absorbed: { increment: done.absorbed ? 1 : 0 },
        tokensSaved: { increment: done.tokensSaved },
      },
    });
    if (fenced.count !== 1) throw new JobLeaseLostError(job.id);
    await record?.(tx);
  });
}

/** A failed delivery: back off and retry later, or DEAD once the attempts are spent. */
export async function failJob(
  db: Db,
  job: ClaimedJob,
  error: unknown,
  opts: { maxAttempts: number; backoff: Backoff },
  now: Date = new Date(),
): Promise<"retry" | "dead" | "lost"> {
  const lastError = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
  const dead = job.attempts >= opts.maxAttempts;
  const updated = await db.job.updateMany({
    where: { id: job.id, leaseVersion: job.leaseVersion, state: "RUNNING" },
    data: dead
      ? { state: "DEAD", lockedUntil: null, lastError }
      : {
          state: "PENDING",
          lockedUntil: null,
          lastError,
          runAfter: new Date(now.getTime() + backoffMs(job.attempts, opts.backoff)),
        },
  });
  if (updated.count !== 1) return "lost";
  return dead ? "dead" : "retry";
}

/**
 * Fault for tests and the demo: deliver a job that already succeeded once more, as a broker that lost
 * an acknowledgement would. Returns whether the job was put back.
 */
export async function redeliver(db: Db, jobId: string): Promise<boolean> {
  const back = await db.job.updateMany({
    where: { id: jobId, state: "SUCCEEDED" },
    data: { state: "PENDING", runAfter: new Date(), completedAt: null },
  });
  return back.count === 1;
}
