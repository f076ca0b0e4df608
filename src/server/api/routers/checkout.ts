import { PLACE_ORDER } from "@/server/checkout/place-order";
import { checkoutStatusInput, placeOrderInput, placeOrderOutput, placeOrderRequest } from "@/server/checkout/schema";
import { demoFaults } from "@/server/demo/middleware";
import { placeOrderUnsafe } from "@/server/demo/place-order-unsafe";
import { keyStatus } from "@/server/idempotency/key-status";
import { idempotentProcedure } from "../keyed";
import { demoProcedure, protectedProcedure } from "../procedures";
import { router } from "../trpc";

/** The unsafe baseline exists only in the demo, and takes X-Fault like the protected path. */
const demoOnlyProcedure = demoProcedure.use(demoFaults);

export const checkoutRouter = router({
  placeOrder: idempotentProcedure("placeOrder", placeOrderOutput)
    .input(placeOrderInput)
    .mutation(({ ctx, input: { items, payment, confirmDuplicate } }) =>
      ctx.runOnce({ items, payment }, { confirmDuplicate }),
    ),
  /** What became of one of the caller's placeOrder keys (read-only): unknown, in progress, or final. */
  status: protectedProcedure
    .input(checkoutStatusInput)
    .query(({ ctx, input }) =>
      keyStatus(ctx.db, { userId: ctx.session.userId, key: input.idempotencyKey, operation: PLACE_ORDER }),
    ),
  /** Demo baseline with no idempotency at all: a double click really charges twice. */
  placeOrderUnsafe: demoOnlyProcedure.input(placeOrderRequest).mutation(async ({ ctx, input }) => {
    const order = await placeOrderUnsafe(ctx, ctx.session.userId, input);
    ctx.response.status = 201;
    return order;
  }),
});
