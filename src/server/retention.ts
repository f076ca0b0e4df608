import { env } from "@/env";
import type { Db } from "@/server/db";

export type RetentionReport = {
  events: number;
  jobs: number;
  inbox: number;
  emails: number;
  modelCalls: number;
  charges: number;
};

export type RetentionOptions = { olderThan?: Date; batch?: number };

export const retentionCutoff = (now: number = Date.now(), days: number = env.RETENTION_DAYS): Date =>
  new Date(now - days * 24 * 60 * 60 * 1000);

/**
 * One pass of the retention sweep: deletes at most `batch` rows per table that are older than the
 * retention (RETENTION_DAYS), so each statement and its locks stay short and a backlog drains over passes.
 * Never touches what an idempotency record may still need: records and orders are not swept at all, jobs
 * and inbox rows only once the job is finished, and a provider charge only when no in-progress record
 * can still ask the provider for it. Portable SQL (both databases); safe in every instance at once.
 */
export async function sweepRetention(db: Db, options: RetentionOptions = {}): Promise<RetentionReport> {
  const cutoff = options.olderThan ?? retentionCutoff();
  const batch = options.batch ?? env.RETENTION_BATCH;
  const events = await db.$executeRaw`DELETE FROM "RequestEvent" WHERE id IN (
      SELECT id FROM "RequestEvent" WHERE "createdAt" < ${cutoff} LIMIT ${batch})`;
  const jobs = await db.$executeRaw`DELETE FROM "Job" WHERE id IN (
      SELECT id FROM "Job" WHERE state IN ('SUCCEEDED', 'DEAD') AND "updatedAt" < ${cutoff} LIMIT ${batch})`;
  // An inbox row guards against a redelivery of its job: it goes only once that job is finished (or gone).
  const inbox = await db.$executeRaw`DELETE FROM "ProcessedJob" WHERE id IN (
      SELECT p.id FROM "ProcessedJob" p WHERE p."createdAt" < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM "Job" j WHERE j.id = p."jobId" AND j.state IN ('PENDING', 'RUNNING'))
      LIMIT ${batch})`;
  const emails = await db.$executeRaw`DELETE FROM "SentEmail" WHERE id IN (
      SELECT id FROM "SentEmail" WHERE "createdAt" < ${cutoff} LIMIT ${batch})`;
  const modelCalls = await db.$executeRaw`DELETE FROM "ModelCall" WHERE id IN (
      SELECT id FROM "ModelCall" WHERE "createdAt" < ${cutoff} LIMIT ${batch})`;
  // A record still in progress at PAYMENT_CHARGED resumes by asking the provider for its charge: keep it.
  const charges = await db.$executeRaw`DELETE FROM "ProviderCharge" WHERE id IN (
      SELECT c.id FROM "ProviderCharge" c WHERE c."createdAt" < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM "IdempotencyRecord" r
                        WHERE r.status = 'IN_PROGRESS' AND c."providerKey" = r.id || ':charge')
      LIMIT ${batch})`;
  return { events, jobs, inbox, emails, modelCalls, charges };
}
