/** One topology (SQLite x1 or PostgreSQL x2): a fresh cluster through every scenario, then closed. */
import { startCluster } from "../lib/cluster";
import type { Kind } from "../lib/databases";
import { PLACE_ORDER, PLACE_ORDER_UNSAFE, prepareIntents, runStorm } from "../lib/storm";
import type { Bench } from "./bench";
import { firstExecution } from "./first-execution";
import { memoryOf } from "./memory";
import { replayVsRead } from "./replay-vs-read";
import type { StormRow, TopologyReport } from "./report-types";
import { completedIntents, measuredStorm, stormOptions, unsafeIsAvailable } from "./storms";

export async function runTopology(
  bench: Bench,
  kind: Kind,
  instances: number,
  firstPort: number,
): Promise<TopologyReport> {
  const topology = `${kind} x${instances}`;
  bench.log(`${topology}: fresh database, starting ${instances} instance(s) on ports ${firstPort}..`);
  const cluster = await startCluster({
    kind,
    instances,
    firstPort,
    distDir: bench.config.distDir,
    label: kind === "sqlite" ? "sq" : "pg",
    connectionsPerTarget: bench.config.concurrency,
    env: {
      IDEMPOTENCY_LEASE_MS: String(bench.config.leaseMs),
      RECOVERY_INTERVAL_MS: String(bench.config.recoveryIntervalMs),
    },
  });
  bench.setActive(cluster);
  const phase = (name: string) => {
    for (const i of cluster.instances) i.phase = name;
  };
  try {
    bench.log(`${topology}: logs in ${cluster.logDir}`);
    phase("warmup");
    const unsafeAvailable = await unsafeIsAvailable(bench, cluster);
    if (!unsafeAvailable) bench.log(`${topology}: ${PLACE_ORDER_UNSAFE} is not served by this build: no baseline`);
    for (const procedure of unsafeAvailable ? [PLACE_ORDER, PLACE_ORDER_UNSAFE] : [PLACE_ORDER]) {
      const warm = stormOptions(bench, cluster, procedure, `warm-${procedure === PLACE_ORDER ? "p" : "u"}-`, {
        intents: 100,
        // The baseline's warm-up sends each intent once: its double charges belong in its own storm, not in
        // the audit of the protected storm that runs next on the same database.
        copies: procedure === PLACE_ORDER ? 2 : 1,
        faultShare: 0,
      });
      await runStorm(warm, await prepareIntents(warm));
    }
    const warmupEnd = Date.now();

    phase("first-execution");
    bench.log(`${topology}: first executions (${bench.config.firstExec} intents, one copy each, no faults)`);
    const firstExec = await firstExecution(bench, cluster, unsafeAvailable);

    phase("storm-protected");
    bench.log(`${topology}: storm on ${PLACE_ORDER}: ${bench.config.intents} intents x ${bench.config.copies} copies`);
    const protectedResult = await measuredStorm(bench, cluster, PLACE_ORDER, "st-p-");

    phase("replay-vs-read");
    bench.log(`${topology}: replay vs plain read (${bench.config.latencySamples} pairs)`);
    const shoppers = await completedIntents(bench, cluster);
    const rvr = [
      await replayVsRead(bench, cluster.targets, shoppers, 1),
      await replayVsRead(bench, cluster.targets, shoppers, 16),
    ];

    let unsafeResult: StormRow | null = null;
    if (unsafeAvailable) {
      phase("storm-unsafe");
      bench.log(`${topology}: storm on ${PLACE_ORDER_UNSAFE} (baseline)`);
      unsafeResult = await measuredStorm(bench, cluster, PLACE_ORDER_UNSAFE, "st-u-");
    }
    phase("end");
    for (const i of cluster.instances) i.sample();
    return {
      topology,
      kind,
      instances,
      unsafeAvailable,
      firstExecution: firstExec,
      protectedStorm: protectedResult,
      unsafeStorm: unsafeResult,
      replayVsRead: rvr,
      memory: memoryOf(cluster, warmupEnd),
    };
  } finally {
    bench.setActive(null);
    await cluster.close({ keepDatabase: bench.keep });
  }
}
