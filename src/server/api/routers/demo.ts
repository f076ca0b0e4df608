import { publicProcedure } from "../procedures";
import { router } from "../trpc";

export const demoRouter = router({
  /** Lets the UI show the fault panel and defence switches only where the server honours them. */
  config: publicProcedure.query(({ ctx }) => ({ faultsEnabled: ctx.faultsEnabled })),
});
