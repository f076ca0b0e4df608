import { clientReportInput, recordClientReport } from "@/server/events/client-report";
import { protectedProcedure } from "../procedures";
import { router } from "../trpc";

export const eventsRouter = router({
  reportClient: protectedProcedure
    .input(clientReportInput)
    .mutation(({ ctx, input }) => recordClientReport(ctx.db, ctx.session.userId, input)),
});
