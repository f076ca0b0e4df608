import { mkdirSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type BenchDatabase, type Counts, createBenchDatabase, type Kind } from "./databases";
import { createTarget, signIn, type Target } from "./http";
import { AppInstance, BENCH_ADMIN_PASSWORD, instanceEnv } from "./instances";

/** A fresh database and N built app instances on consecutive ports, all on 127.0.0.1. */
export type Cluster = {
  db: BenchDatabase;
  instances: AppInstance[];
  targets: Target[];
  adminCookie: string;
  logDir: string;
  /** Stops every instance and drops the database (keepDatabase leaves it for inspection). */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
};

export type ClusterOptions = {
  kind: Kind;
  instances: number;
  firstPort: number;
  distDir: string;
  label: string;
  connectionsPerTarget: number;
  env?: Record<string, string>;
  /** The checkout whose build (and migrations) the cluster runs; default this one. */
  root?: string;
  /** Flags for each instance's node process (e.g. --cpu-prof). */
  nodeArgs?: string[];
};

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const db = await createBenchDatabase(options.kind, options.label, options.root);
  const logDir = path.join("/tmp", `retry-safe-${options.label}-${Date.now().toString(36)}`);
  mkdirSync(logDir, { recursive: true });
  const env = instanceEnv({ DATABASE_URL: db.url, ...options.env });
  const instances = Array.from(
    { length: options.instances },
    (_, i) =>
      new AppInstance(
        `${options.kind}-${i + 1}`,
        options.firstPort + i,
        env,
        options.distDir,
        path.join(logDir, `${options.kind}-${i + 1}.log`),
        options.root,
        options.nodeArgs,
      ),
  );
  const targets = instances.map((i) => createTarget(i.name, i.origin, options.connectionsPerTarget));
  const close = async (closeOptions: { keepDatabase?: boolean } = {}) => {
    await Promise.all(instances.map((i) => i.stop()));
    await Promise.all(targets.map((t) => t.pool.close()));
    if (!closeOptions.keepDatabase) await db.drop();
  };
  try {
    // One at a time: two cold starts at once on two cores slow each other past the readiness timeout.
    for (const instance of instances) await instance.start();
    const first = targets[0];
    if (!first) throw new Error("a cluster needs at least one instance");
    const adminCookie = await signIn(first, "bench-admin", BENCH_ADMIN_PASSWORD);
    return { db, instances, targets, adminCookie, logDir, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

/** Polls the database's counts (bounded) until they meet the condition; what is still pending goes in the error. */
async function waitForCounts(
  db: BenchDatabase,
  timeoutMs: number,
  done: (counts: Counts) => boolean,
  pending: (counts: Counts) => string,
): Promise<{ counts: Counts; ms: number }> {
  const started = Date.now();
  for (;;) {
    const counts = await db.counts();
    if (done(counts)) return { counts, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`after ${timeoutMs} ms: ${pending(counts)}`);
    await sleep(200);
  }
}

/** Waits until no idempotency record is in progress: the recovery worker has finished. */
export const waitForRecovery = (db: BenchDatabase, timeoutMs: number) =>
  waitForCounts(
    db,
    timeoutMs,
    (c) => c.recordsInProgress === 0,
    (c) => `${c.recordsInProgress} records still in progress`,
  );

/**
 * Waits until the instances are idle: no record in progress and no job backlog. Timed phases start from
 * here, so one phase does not pay for the after-the-order work (e-mails, model calls) of the one before.
 */
export const waitForQuiet = (db: BenchDatabase, timeoutMs: number) =>
  waitForCounts(
    db,
    timeoutMs,
    (c) => c.recordsInProgress === 0 && c.jobsUnsettled === 0,
    (c) => `not quiet: ${c.recordsInProgress} records in progress, ${c.jobsUnsettled} jobs`,
  );
