/**
 * One build under test on a fresh database: a single production instance with the in-app workers off,
 * its signed-in shoppers, and completed checkouts to replay and read.
 */
import { randomUUID } from "node:crypto";
import { APPROVED_CARD, OPERATIONS } from "../../src/shared/names";
import { type Cluster, startCluster } from "../lib/cluster";
import type { Kind } from "../lib/databases";
import { dataOf, send, signIn } from "../lib/http";
import { cartAt } from "../lib/storm";

/** Which checkout a subject runs: this one, or the baseline given with --baseline. */
export type Build = { name: string; root: string | undefined; distDir: string };

type Completed = { cookie: string; body: unknown; orderId: string };

export type Subject = {
  build: Build;
  kind: Kind;
  cluster: Cluster;
  origin: string;
  /** PostgreSQL: the database's name, whose pg_stat_database row the commit counts read. */
  databaseName: string | null;
  cookies: string[];
  completed: Completed[];
};

/**
 * Settings of a measured instance: workers off (RECOVERY_INTERVAL_MS=0, JOBS_INTERVAL_MS=0) so only the
 * scenario's requests run; the production lease; a 1 ms duplicate window, so a shopper may buy the same
 * one-line cart again a moment later (the net's lookup still runs on every first execution); demo faults
 * stay on because the unsafe baseline is a demo procedure.
 */
const MEASURED_ENV = {
  RECOVERY_INTERVAL_MS: "0",
  JOBS_INTERVAL_MS: "0",
  IDEMPOTENCY_LEASE_MS: "30000",
  DUPLICATE_WINDOW_MS: "1",
};

export async function startSubject(
  build: Build,
  kind: Kind,
  port: number,
  options: { shoppers: number; replayKeys: number; env?: Record<string, string>; nodeArgs?: string[] },
): Promise<Subject> {
  const cluster = await startCluster({
    kind,
    instances: 1,
    firstPort: port,
    distDir: build.distDir,
    label: `alone_${build.name}`,
    connectionsPerTarget: 8,
    env: { ...MEASURED_ENV, ...options.env },
    root: build.root,
    nodeArgs: options.nodeArgs,
  });
  try {
    const target = cluster.targets[0];
    if (!target) throw new Error("no target");
    const cookies: string[] = [];
    for (let i = 0; i < options.shoppers; i++) cookies.push(await signIn(target, `alone-shopper-${i}`));
    const completed: Completed[] = [];
    for (let k = 0; k < options.replayKeys; k++) {
      const cookie = cookies[k % cookies.length] ?? "";
      const body = { idempotencyKey: randomUUID(), items: cartAt(k), payment: { token: APPROVED_CARD } };
      const answer = await send(target, {
        method: "POST",
        path: `/api/trpc/${OPERATIONS.placeOrder}`,
        headers: { cookie },
        body,
      });
      const orderId = dataOf(answer)?.orderId;
      if (answer.status !== 201 || typeof orderId !== "string") {
        throw new Error(
          `${build.name}: preparing a completed key: HTTP ${answer.status} ${JSON.stringify(answer.json)}`,
        );
      }
      completed.push({ cookie, body, orderId });
    }
    const databaseName = kind === "postgres" ? decodeURIComponent(new URL(cluster.db.url).pathname.slice(1)) : null;
    return { build, kind, cluster, origin: target.origin, databaseName, cookies, completed };
  } catch (error) {
    await cluster.close();
    throw error;
  }
}
