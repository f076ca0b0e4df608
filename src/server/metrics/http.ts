import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/env";
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
  metrics.recordsInProgress.set(await db.idempotencyRecord.count({ where: { status: "IN_PROGRESS" } }));
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
