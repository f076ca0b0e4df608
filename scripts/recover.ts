/** `npm run recover`: one pass of the recovery worker against DATABASE_URL (add --watch to keep running). */
import { env } from "@/env";
import { recoverOnce, startRecoveryWorker } from "@/server/recovery-worker";
import { defaultServices } from "@/server/services";

const services = defaultServices();
if (process.argv.includes("--watch")) {
  startRecoveryWorker(services, env.RECOVERY_INTERVAL_MS || 5_000);
  setInterval(() => {}, 1 << 30);
} else {
  recoverOnce(services).then(
    async (report) => {
      console.log(`[recover] ${JSON.stringify(report)}`);
      await services.db.$disconnect();
      process.exit(0);
    },
    (error: unknown) => {
      console.error("[recover] failed:", error);
      process.exit(1);
    },
  );
}
