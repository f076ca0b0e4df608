import { placeOrderUnsafe } from "@/server/checkout/place-order-unsafe";
import { placeOrderInput, placeOrderOutput, placeOrderRequest } from "@/server/checkout/schema";
import { DomainError } from "@/server/errors";
import { FAULT_HEADER, parseFault } from "@/server/faults";
import { executeKeyed, keyedProcedure } from "../keyed";
import { demoProcedure } from "../procedures";
import { router } from "../trpc";

/** The unsafe baseline exists only in the demo, and takes X-Fault like the protected path. */
const demoOnlyProcedure = demoProcedure.use(({ ctx, next }) => {
  const parsed = parseFault(ctx.headers.get(FAULT_HEADER));
  if ("error" in parsed) throw new DomainError("INVALID_INPUT", parsed.error);
  return next({ ctx: { fault: parsed.fault } });
});

export const checkoutRouter = router({
  placeOrder: keyedProcedure.input(placeOrderInput).mutation(({ ctx, input }) =>
    executeKeyed(ctx, ctx.operations.placeOrder, { items: input.items, payment: input.payment }, placeOrderOutput, {
      confirmDuplicate: input.confirmDuplicate,
    }),
  ),
  /** Demo baseline with no idempotency at all: a double click really charges twice. */
  placeOrderUnsafe: demoOnlyProcedure.input(placeOrderRequest).mutation(async ({ ctx, input }) => {
    const order = await placeOrderUnsafe(ctx, ctx.session.userId, input, ctx.fault);
    ctx.response.status = 201;
    return order;
  }),
});
