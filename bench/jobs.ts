/**
 * `npm run bench:jobs`: the same storm of at-least-once deliveries run twice on a fresh database each,
 * with the consumer-side defences (inbox, content-hash cache, mailer and model idempotency keys) on and
 * off, and what each run really cost in the external ledgers (e-mails sent, model calls billed, tokens).
 *
 *   npm run bench:jobs -- [--orders 100] [--equal 25] [--workers 3] [--provider sqlite|postgresql]
 *
 * The storm (identical in both runs, chosen by order index, type and attempt):
 * - `--equal` of the orders repeat an earlier order's content (same user, same cart: two tabs, a re-order);
 * - 15% of first fraud-review deliveries time out after the call was billed;
 * - 10% of first deliveries crash after their effect, before saving it (redelivered after lease expiry);
 * - afterwards, every job is redelivered once more (a broker that lost its acknowledgements) and 30% twice;
 * - `--workers` workers run at once.
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { jobsStats } from "@/server/admin/jobs-stats";
import type { Db } from "@/server/db";
import { type JobFault, jobFaultHooks } from "@/server/demo/job-faults";
import { undefendedHandlers } from "@/server/demo/undefended-jobs";
import { redeliver } from "@/server/jobs/lease";
import type { ClaimedJob } from "@/server/jobs/types";
import { createJobWorker, type JobWorker } from "@/server/jobs/worker";
import { paidOrderWithJobs, settled } from "@/test/job-fixtures";
import { createTestDatabase, type Provider, providers } from "@/test/test-db";

const { values: args } = parseArgs({
  options: {
    orders: { type: "string", default: "100" },
    equal: { type: "string", default: "25" },
    workers: { type: "string", default: "3" },
    provider: { type: "string" },
  },
});
const ORDERS = Math.max(1, Number(args.orders));
const EQUAL = Math.min(ORDERS - 1, Math.max(0, Number(args.equal)));
const WORKERS = Math.max(1, Number(args.workers));
const LEASE_MS = 250;
const PRODUCTS = ["ceramic-mug", "green-tea", "espresso-beans", "hand-grinder", "milk-frother", "almond-biscotti"];

/** A deterministic fraction in [0, 1) per label, so both runs see the same storm. */
const chance = (label: string) => createHash("sha256").update(label).digest().readUInt32BE(0) / 2 ** 32;

type Run = {
  mode: string;
  deliveries: number;
  absorbed: number;
  emails: number;
  modelCalls: number;
  tokens: number;
  costMicros: number;
  dashboardEstimate: number;
  ms: number;
};

async function drain(db: Db, workers: JobWorker[]) {
  for (;;) {
    const reports = await Promise.all(workers.map((w) => w.runOnce()));
    if (reports.every((r) => r.claimed === 0) && (await settled(db))) return;
    if (reports.every((r) => r.claimed === 0)) await new Promise((r) => setTimeout(r, 25)); // waiting on leases
  }
}

async function storm(provider: Provider, defences: boolean): Promise<Run> {
  const t = await createTestDatabase(provider);
  try {
    const index = new Map<string, number>();
    const carts: { user: string; items: { productId: string; quantity: number }[] }[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const repeat = i >= ORDERS - EQUAL ? carts[Math.floor(chance(`equal:${i}`) * (ORDERS - EQUAL))] : undefined;
      const cart = repeat ?? {
        user: `bench-${i % 40}`,
        items: [{ productId: PRODUCTS[i % PRODUCTS.length] ?? "ceramic-mug", quantity: 1 + (i % 4) }],
      };
      carts.push(cart);
      index.set(await paidOrderWithJobs(t.db, cart.user, cart.items), i);
    }
    const faults = (job: ClaimedJob): JobFault | null => {
      if (job.attempts !== 1) return null;
      const label = `${index.get(job.orderId)}:${job.type}`;
      if (job.type === "fraud-review" && chance(`timeout:${label}`) < 0.15) return "model-timeout-after-billing";
      if (chance(`crash:${label}`) < 0.1) return "crash-before-save";
      return null;
    };
    const workers = Array.from({ length: WORKERS }, () =>
      createJobWorker(t.db, {
        handlers: defences ? undefined : undefendedHandlers,
        hooks: jobFaultHooks(faults),
        leaseMs: LEASE_MS,
        batchSize: 8,
        backoff: { baseMs: 10, capMs: 50 },
        modelLatencyMs: 5,
      }),
    );
    const started = Date.now();
    await drain(t.db, workers);
    const jobs = await t.db.job.findMany({ select: { id: true, orderId: true, type: true } });
    for (const round of [1, 2]) {
      for (const job of jobs) {
        if (round === 1 || chance(`redeliver:${index.get(job.orderId)}:${job.type}`) < 0.3)
          await redeliver(t.db, job.id);
      }
      await drain(t.db, workers);
    }
    const ms = Date.now() - started;
    const s = await jobsStats(t.db);
    const deliveries = await t.db.job.aggregate({ _sum: { attempts: true } });
    return {
      mode: defences ? "defences on" : "defences off",
      deliveries: deliveries._sum.attempts ?? 0,
      absorbed: s.redeliveriesAbsorbed,
      emails: s.emailsSent,
      modelCalls: s.modelCalls,
      tokens: s.tokensSpent,
      costMicros: s.costSpentMicros,
      dashboardEstimate: s.tokensWithoutDefences,
      ms,
    };
  } finally {
    await t.drop();
  }
}

const chosen = providers.filter((p) => !args.provider || p === args.provider);
for (const provider of chosen) {
  const runs = [await storm(provider, true), await storm(provider, false)];
  console.log(
    `\n${provider}: ${ORDERS} PAID orders (${ORDERS - EQUAL} distinct carts), ${2 * ORDERS} jobs, ${WORKERS} workers`,
  );
  console.table(
    runs.map((r) => ({
      mode: r.mode,
      deliveries: r.deliveries,
      "redeliveries absorbed": r.absorbed,
      "e-mails sent": r.emails,
      "model calls billed": r.modelCalls,
      "tokens billed": r.tokens,
      "cost USD": (r.costMicros / 1_000_000).toFixed(4),
      "dashboard: tokens without defences": r.dashboardEstimate,
      "time ms": r.ms,
    })),
  );
}
process.exit(0);
