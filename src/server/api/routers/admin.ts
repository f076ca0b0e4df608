import { audit } from "@/server/admin/audit";
import { intentsInput, recentIntents } from "@/server/admin/intents";
import { jobsStats } from "@/server/admin/jobs-stats";
import { latencyInput, latencyPercentiles } from "@/server/admin/latency";
import { retriesInput, retriesPerIntent } from "@/server/admin/retries";
import { eventsInput, recentEvents, stats, statsInput } from "@/server/admin/stats";
import { outcomesOverTime, timelineInput } from "@/server/admin/timeline";
import { jobFaultInput, jobFaultSwitch, redeliverInput, redeliverNewest } from "@/server/demo/job-faults";
import { intentStory, intentStoryInput } from "@/server/orders/intent-story";
import { adminProcedure, demoAdminProcedure } from "../procedures";
import { router } from "../trpc";

export const adminRouter = router({
  stats: adminProcedure.input(statsInput).query(({ ctx, input }) => stats(ctx.db, input)),
  timeline: adminProcedure.input(timelineInput).query(({ ctx, input }) => outcomesOverTime(ctx.db, input.window)),
  retries: adminProcedure.input(retriesInput).query(({ ctx, input }) => retriesPerIntent(ctx.db, input.window)),
  latency: adminProcedure.input(latencyInput).query(({ ctx, input }) => latencyPercentiles(ctx.db, input.window)),
  intents: adminProcedure.input(intentsInput).query(({ ctx, input }) => recentIntents(ctx.db, input)),
  events: adminProcedure.input(eventsInput).query(({ ctx, input }) => recentEvents(ctx.db, input)),
  /** The story a shopper sees under their order, for any intent of the recent intents table. */
  intentStory: adminProcedure
    .input(intentStoryInput)
    .query(({ ctx, input }) =>
      intentStory({ db: ctx.db, provider: ctx.provider, duplicateWindowMs: ctx.engine.duplicateWindowMs }, input),
    ),
  audit: adminProcedure.query(({ ctx }) => audit(ctx.db, { duplicateWindowMs: ctx.engine.duplicateWindowMs })),
  jobs: adminProcedure.query(async ({ ctx }) => ({
    ...(await jobsStats(ctx.db)),
    armedFault: ctx.faultsEnabled ? jobFaultSwitch().armed() : null,
  })),
  /** Demo fault: the broker redelivers the newest succeeded jobs; the consumers must absorb them. */
  redeliverJobs: demoAdminProcedure
    .input(redeliverInput)
    .mutation(async ({ ctx, input }) => ({ redelivered: await redeliverNewest(ctx.db, input.limit) })),
  /** Demo fault for the next deliveries of this instance's in-app worker (sets, does not add). */
  armJobFault: demoAdminProcedure
    .input(jobFaultInput)
    .mutation(({ input }) => ({ armed: jobFaultSwitch().arm(input.fault, input.deliveries) })),
});
