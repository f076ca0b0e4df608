import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/env";
import { JobState } from "@/generated/sqlite/enums";
import { type Db, db as defaultDb } from "@/server/db";
import { metrics } from "./registry";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison of the presented bearer token (hashed first so lengths never leak). */
const bearerMatches = (authorization: string | null, token: string): boolean => {
  const presented = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
};

/** Gauges that describe the database are read at scrape time, so every instance reports the same truth. */
async function collectFromDatabase(db: Db): Promise<void> {
  const [inProgress, jobs, billed, saved] = await Promise.all([
    db.idempotencyRecord.count({ where: { status: "IN_PROGRESS" } }),
    db.job.groupBy({ by: ["state"], _count: { _all: true } }),
    db.modelCall.aggregate({ _sum: { tokens: true } }),
    db.job.aggregate({ _sum: { tokensSaved: true } }),
  ]);
  metrics.recordsInProgress.set(inProgress);
  for (const state of Object.values(JobState)) {
    metrics.jobsByState.set({ state }, jobs.find((j) => j.state === state)?._count._all ?? 0);
  }
  metrics.modelTokens.set({ kind: "spent" }, billed._sum.tokens ?? 0);
  metrics.modelTokens.set({ kind: "saved" }, saved._sum.tokensSaved ?? 0);
}

export type MetricsOptions = { db?: Db; token?: string | null };

/** GET /api/metrics: Prometheus text format; 401 without the bearer token when METRICS_TOKEN is set. */
export async function handleMetricsRequest(req: Request, options: MetricsOptions = {}): Promise<Response> {
  const token = options.token === undefined ? env.METRICS_TOKEN : options.token;
  if (token && !bearerMatches(req.headers.get("authorization"), token)) {
    return new Response("unauthorized\n", {
      status: 401,
      headers: { "content-type": "text/plain; charset=utf-8", "www-authenticate": 'Bearer realm="metrics"' },
    });
  }
  try {
    await collectFromDatabase(options.db ?? defaultDb);
  } catch (error) {
    console.error("[metrics] could not read the database gauges", error);
  }
  return new Response(await metrics.registry.metrics(), {
    headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" },
  });
}
