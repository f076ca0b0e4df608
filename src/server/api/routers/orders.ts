import { orderStory, orderStoryInput } from "@/server/orders/intent-story";
import { getOrder, listOrders, orderIdInput } from "@/server/orders/orders-service";
import { eventsWritten, protectedProcedure } from "../procedures";
import { router } from "../trpc";

export const ordersRouter = router({
  list: protectedProcedure.query(({ ctx }) => listOrders(ctx.db, ctx.session.userId)),
  get: protectedProcedure
    .input(orderIdInput)
    .query(({ ctx, input }) => getOrder(ctx.db, ctx.provider, ctx.session.userId, input.id)),
  /** How the caller's order came to be: every attempt of its intent, from the server's records. */
  story: protectedProcedure
    .use(eventsWritten)
    .input(orderStoryInput)
    .query(({ ctx, input }) =>
      orderStory(
        { db: ctx.db, provider: ctx.provider, duplicateWindowMs: ctx.engine.duplicateWindowMs },
        ctx.session.userId,
        input.id,
      ),
    ),
});
