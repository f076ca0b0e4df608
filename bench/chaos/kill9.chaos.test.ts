import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "@/env";
import { startCluster, waitForQuiet, waitForRecovery } from "../lib/cluster";
import type { Kind } from "../lib/databases";
import { fetchAudit } from "../lib/http";
import { ensureBuild } from "../lib/instances";
import { PLACE_ORDER, pickRandom, prepareIntents, runStorm, type StormOptions } from "../lib/storm";

/**
 * `npm run test:chaos`: a storm of keyed checkouts while instances die by SIGKILL at random moments and come
 * back; clients keep retrying. Afterwards every intent has exactly one order, every successful charge its
 * paid order, stock adds up and no record is left in progress; and the jobs after the order, whose
 * in-app workers died with their instances, end with one e-mail and one billed review per paid order.
 * CI-size defaults; larger through env (CHAOS_* in src/env.ts).
 */
const INTENTS = env.CHAOS_INTENTS;
const KILLS = env.CHAOS_KILLS;
const COPIES = env.CHAOS_COPIES;
const CONCURRENCY = env.CHAOS_CONCURRENCY;
/** Instances listen on FIRST_PORT.. (PostgreSQL run) and FIRST_PORT + 4 (SQLite run). */
const FIRST_PORT = env.CHAOS_FIRST_PORT;
const DIST_DIR = env.BENCH_DIST_DIR;
const PREFIX = "chaos-";

const between = (min: number, max: number) => min + Math.random() * (max - min);

beforeAll(() => {
  ensureBuild(DIST_DIR, { rebuild: env.BENCH_REBUILD });
});

async function stormWithKills(kind: Kind, instances: number, firstPort: number): Promise<void> {
  const cluster = await startCluster({
    kind,
    instances,
    firstPort,
    distDir: DIST_DIR,
    label: `chaos-${kind === "sqlite" ? "sq" : "pg"}`,
    connectionsPerTarget: CONCURRENCY,
    // Jobs leased by a killed instance's worker come back after 2 s instead of 30 s.
    env: { JOB_LEASE_MS: "2000" },
  });
  try {
    const options: StormOptions = {
      targets: cluster.targets,
      procedure: PLACE_ORDER,
      intents: INTENTS,
      copies: COPIES,
      concurrency: CONCURRENCY,
      faultShare: 0.1,
      declinedShare: 0.05,
      shoppers: Math.ceil(INTENTS / 5),
      namePrefix: PREFIX,
      // Generous give-up bound: a client must outlive a restart (a lost answer is retried, not abandoned).
      policy: { maxAttempts: 60, deadlineMs: 150_000 },
      // Intents start over a window long enough that every kill lands while the storm is still going.
      spreadMs: KILLS * 5_000 + 3_000,
      maxMs: 200_000,
    };
    const intents = await prepareIntents(options);
    let stormOver = false;
    const storm = runStorm(options, intents).finally(() => {
      stormOver = true;
    });

    const kills: { victim: string; duringStorm: boolean; downMs: number }[] = [];
    for (let k = 0; k < KILLS; k++) {
      await sleep(between(1_000, 3_000));
      const victim = pickRandom(cluster.instances);
      const duringStorm = !stormOver;
      const down = Date.now();
      await victim.kill();
      await sleep(between(0, 1_000));
      await victim.start();
      kills.push({ victim: victim.name, duringStorm, downMs: Date.now() - down });
    }
    const { summary, results } = await storm;
    // A copy without a final success shows its whole attempt log, so a failure below can be traced.
    for (const r of results.filter((r) => r.outcome.kind !== "ok")) {
      console.log(`[chaos ${kind}] not ok: ${JSON.stringify(r)}`);
    }
    console.log(`[chaos ${kind}] kills ${JSON.stringify(kills)}`);
    console.log(
      `[chaos ${kind}] ${summary.requests} requests in ${summary.durationMs} ms; attempts ${JSON.stringify(summary.attempts)}`,
    );

    expect(kills.filter((k) => k.duringStorm)).toHaveLength(KILLS);
    // Every copy got its final answer, and all copies of an intent were told the same order.
    // The refusals' reasons go into the comparison, so a failure says which answer was final.
    expect({ ...summary.finals, refusedReasons: summary.refusedReasons }).toEqual({
      ok: INTENTS * COPIES,
      refused: 0,
      gaveUp: 0,
      notRun: 0,
      refusedReasons: {},
    });
    expect(summary.intentsWithSeveralOrderIds).toBe(0);

    // Records whose client went away are the recovery worker's: wait for it on the condition, bounded.
    const { counts, ms } = await waitForRecovery(cluster.db, 60_000);
    console.log(`[chaos ${kind}] recovery finished ${ms} ms after the storm; ${JSON.stringify(counts)}`);
    const mine = await cluster.db.ordersOf(PREFIX);
    expect(mine).toEqual({ orders: INTENTS, duplicates: 0 });
    expect(counts.orders).toBe(INTENTS);
    expect(counts.ordersByStatus.PENDING_PAYMENT ?? 0).toBe(0);
    expect(counts.charges).toBe(INTENTS);
    expect(counts.chargesByStatus.SUCCEEDED ?? 0).toBe(counts.ordersByStatus.PAID ?? 0);
    expect(counts.payments).toBe(INTENTS);
    expect(counts.stockDrift).toBe(0);
    expect(counts.recordsInProgress).toBe(0);

    // At-least-once jobs: deliveries cut off by the kills are redelivered after their lease, and the
    // consumers' idempotency leaves exactly one e-mail and one billed review per paid order.
    const { counts: after, ms: quietMs } = await waitForQuiet(cluster.db, 60_000);
    console.log(`[chaos ${kind}] jobs settled ${quietMs} ms later; ${JSON.stringify(after.jobsByState)}`);
    const paid = after.ordersByStatus.PAID ?? 0;
    expect(after.jobsByState).toEqual({ SUCCEEDED: 2 * paid });
    expect(after.emailsSent).toBe(paid);
    expect(after.modelCalls).toBe(paid);

    if (kind === "sqlite") {
      // One connection per process: two (one per Next bundle) deadlocked each other on SQLite's lock,
      // and a restarted instance stalled for tens of seconds (see src/server/db.ts).
      const file = cluster.db.url.replace(/^file:/, "");
      expect(cluster.instances.map((i) => i.openHandlesOn(file))).toEqual(cluster.instances.map(() => 1));
    }

    const audit = await fetchAudit(pickRandom(cluster.targets), cluster.adminCookie);
    expect(audit.invariants.filter((i) => i.violations > 0)).toEqual([]);
    expect(audit.ok).toBe(true);
  } finally {
    await cluster.close();
  }
}

describe("kill -9 during a duplicate storm", () => {
  it(`two instances on one PostgreSQL database, one killed ${KILLS} times`, () =>
    stormWithKills("postgres", 2, FIRST_PORT));
  it(`SQLite, its only instance killed ${KILLS} times`, () => stormWithKills("sqlite", 1, FIRST_PORT + 4));
});
