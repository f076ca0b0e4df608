/** Storms on a running cluster, measured against the database's own counts. */
import { type Cluster, waitForRecovery } from "../lib/cluster";
import type { Counts } from "../lib/databases";
import { fetchAudit, send } from "../lib/http";
import {
  bodyFor,
  type Intent,
  PLACE_ORDER,
  PLACE_ORDER_UNSAFE,
  pickRandom,
  prepareIntents,
  runStorm,
  type StormOptions,
  type StormResult,
} from "../lib/storm";
import type { Bench } from "./bench";
import type { StormRow } from "./report-types";

export function stormOptions(
  bench: Bench,
  cluster: Cluster,
  procedure: string,
  prefix: string,
  over: Partial<StormOptions>,
): StormOptions {
  return {
    targets: cluster.targets,
    procedure,
    intents: bench.config.intents,
    copies: bench.config.copies,
    concurrency: bench.config.concurrency,
    faultShare: bench.config.faultShare,
    declinedShare: bench.config.declinedShare,
    shoppers: Math.max(1, Math.ceil(bench.config.intents / 10)),
    namePrefix: prefix,
    policy: bench.policy,
    maxMs: bench.config.maxStormMs,
    ...over,
  };
}

async function storm(bench: Bench, options: StormOptions): Promise<StormResult> {
  const intents = await prepareIntents(options);
  let lastShown = 0;
  return runStorm(
    {
      ...options,
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - lastShown < 5_000 && done < total) return;
        lastShown = now;
        bench.log(`  ${options.procedure}: ${done}/${total} copies answered`);
      },
    },
    intents,
  );
}

const diff = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - (before[k] ?? 0)])
      .filter(([, v]) => v !== 0),
  );

export async function measuredStorm(
  bench: Bench,
  cluster: Cluster,
  procedure: string,
  prefix: string,
): Promise<StormRow> {
  const before = await cluster.db.counts();
  const result = await storm(bench, stormOptions(bench, cluster, procedure, prefix, {}));
  let after: Counts;
  let recoveryWaitMs: number | null = null;
  if (procedure === PLACE_ORDER) {
    // The storm is over when the recovery worker has finished every record clients abandoned.
    const waited = await waitForRecovery(cluster.db, 120_000);
    after = waited.counts;
    recoveryWaitMs = waited.ms;
  } else {
    after = await cluster.db.counts();
  }
  const mine = await cluster.db.ordersOf(prefix);
  const audit = await fetchAudit(pickRandom(cluster.targets), cluster.adminCookie);
  const charges = after.charges - before.charges;
  return {
    summary: result.summary,
    orders: mine.orders,
    ordersByStatus: diff(after.ordersByStatus, before.ordersByStatus),
    charges,
    chargesByStatus: diff(after.chargesByStatus, before.chargesByStatus),
    duplicateOrders: mine.duplicates,
    // One charge per intent that has an order is expected (declined cards are charges too).
    extraCharges: charges - (mine.orders - mine.duplicates),
    recordsInProgress: after.recordsInProgress,
    recoveryWaitMs,
    audit,
  };
}

/** Completed intents for the replay measurement, from a small clean storm of their own (no faults). */
export async function completedIntents(bench: Bench, cluster: Cluster) {
  const options = stormOptions(bench, cluster, PLACE_ORDER, "rr-", {
    intents: Math.min(bench.config.latencySamples, 200),
    copies: 1,
    faultShare: 0,
    declinedShare: 0,
  });
  const result = await runStorm(options, await prepareIntents(options));
  const completed: { intent: Intent; orderId: string }[] = [];
  for (const r of result.results) {
    const intent = result.intents[r.intent];
    const orderId = r.outcome.data?.orderId;
    if (intent && typeof orderId === "string") completed.push({ intent, orderId });
  }
  if (completed.length === 0) throw new Error("no completed intents to replay");
  return completed;
}

export async function unsafeIsAvailable(bench: Bench, cluster: Cluster): Promise<boolean> {
  const options = stormOptions(bench, cluster, PLACE_ORDER_UNSAFE, "probe-u-", {
    intents: 1,
    copies: 1,
    faultShare: 0,
  });
  const [intent] = await prepareIntents(options);
  const first = cluster.targets[0];
  if (!intent || !first) return false;
  const answer = await send(first, {
    method: "POST",
    path: `/api/trpc/${PLACE_ORDER_UNSAFE}`,
    headers: { cookie: intent.cookie },
    body: bodyFor(PLACE_ORDER_UNSAFE, intent),
  });
  if (answer.status === 404) return false;
  if (answer.status !== 201)
    throw new Error(`${PLACE_ORDER_UNSAFE} probe: HTTP ${answer.status} ${JSON.stringify(answer.json)}`);
  return true;
}
