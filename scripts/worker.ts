/**
 * `npm run worker`: a job worker in its own process against DATABASE_URL. Run as many as you like, on as
 * many machines as you like (PostgreSQL): deliveries are claimed with a lease by conditional update.
 *
 *   --once              one pass, then exit
 *   --interval-ms N     pause between passes when idle (default JOBS_INTERVAL_MS, or 1000 when that is 0)
 *   --batch N           deliveries claimed per pass (default 10)
 *   --lease-ms N        visibility timeout (default JOB_LEASE_MS)
 *   --no-defences       turn off the consumer-side defences (to measure what duplicates cost)
 *   --die-mid-job       fault: SIGKILL this process right after its first external effect, before it is saved
 */
import { env } from "@/env";
import { createDb } from "@/server/db";
import { undefendedHandlers } from "@/server/demo/undefended-jobs";
import { createJobWorker } from "@/server/jobs/worker";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const num = (name: string): number | undefined => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : Number.NaN;
  return Number.isInteger(value) && value >= 0 ? value : undefined;
};

const db = createDb(env.DATABASE_URL);
const worker = createJobWorker(db, {
  batchSize: num("--batch"),
  leaseMs: num("--lease-ms"),
  handlers: flag("--no-defences") ? undefendedHandlers : undefined,
  // The first delivery to make its external effect kills this process before the effect is recorded.
  hooks: flag("--die-mid-job")
    ? () => ({
        async afterEffect() {
          process.kill(process.pid, "SIGKILL");
        },
      })
    : undefined,
});

if (flag("--once")) {
  const report = await worker.runOnce();
  console.log(`[worker ${worker.id}] ${JSON.stringify(report)}`);
  await db.$disconnect();
  process.exit(0);
}

const stop = worker.start(num("--interval-ms") ?? (env.JOBS_INTERVAL_MS || 1_000));
console.log(`worker ${worker.id} ready`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void stop()
      .then(() => db.$disconnect())
      .finally(() => process.exit(0));
  });
}
