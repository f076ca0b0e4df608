import { getOrder, listOrders, orderIdInput } from "@/server/orders/orders-service";
import { protectedProcedure } from "../procedures";
import { router } from "../trpc";

export const ordersRouter = router({
  list: protectedProcedure.query(({ ctx }) => listOrders(ctx.db, ctx.session.userId)),
  get: protectedProcedure
    .input(orderIdInput)
    .query(({ ctx, input }) => getOrder(ctx.db, ctx.provider, ctx.session.userId, input.id)),
});
