import { env } from "@/env";
import { clientReportInput, recordClientReport } from "@/server/events/client-report";
import { createRateLimiter } from "@/server/events/report-limiter";
import { observeUnrecorded } from "@/server/metrics/observe";
import { protectedProcedure } from "../procedures";
import { router } from "../trpc";

/** Per session, in this process; 10 000 sessions' windows at most (about 1 MB). */
const reportLimiter = createRateLimiter({ limit: env.CLIENT_REPORTS_PER_MINUTE, windowMs: 60_000, maxKeys: 10_000 });

export const eventsRouter = router({
  reportClient: protectedProcedure
    .input(clientReportInput)
    .use(({ ctx, path, next }) => {
      try {
        reportLimiter.hit(ctx.session.userId);
      } catch (refusal) {
        observeUnrecorded(path, "RATE_LIMITED");
        throw refusal;
      }
      return next();
    })
    .mutation(({ ctx, input }) => recordClientReport(ctx.events, ctx.session.userId, input)),
});
