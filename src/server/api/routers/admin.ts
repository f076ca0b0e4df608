import { audit } from "@/server/admin/audit";
import { intentsInput, recentIntents } from "@/server/admin/intents";
import { jobsStats } from "@/server/admin/jobs-stats";
import { latencyInput, latencyPercentiles } from "@/server/admin/latency";
import { retriesInput, retriesPerIntent } from "@/server/admin/retries";
import { eventsInput, recentEvents, stats, statsInput } from "@/server/admin/stats";
import { outcomesOverTime, timelineInput } from "@/server/admin/timeline";
import { adminProcedure } from "../procedures";
import { router } from "../trpc";

export const adminRouter = router({
  stats: adminProcedure.input(statsInput).query(({ ctx, input }) => stats(ctx.db, input)),
  timeline: adminProcedure.input(timelineInput).query(({ ctx, input }) => outcomesOverTime(ctx.db, input.window)),
  retries: adminProcedure.input(retriesInput).query(({ ctx, input }) => retriesPerIntent(ctx.db, input.window)),
  latency: adminProcedure.input(latencyInput).query(({ ctx, input }) => latencyPercentiles(ctx.db, input.window)),
  intents: adminProcedure.input(intentsInput).query(({ ctx, input }) => recentIntents(ctx.db, input)),
  events: adminProcedure.input(eventsInput).query(({ ctx, input }) => recentEvents(ctx.db, input)),
  audit: adminProcedure.query(({ ctx }) => audit(ctx.db)),
  jobs: adminProcedure.query(({ ctx }) => jobsStats(ctx.db)),
});
