import { getCart, removeItem, setQuantity } from "@/server/cart/cart-service";
import { addItemInput, addItemOutput, removeItemInput, setQuantityInput } from "@/server/cart/schema";
import { idempotentProcedure } from "../keyed";
import { protectedProcedure } from "../procedures";
import { router } from "../trpc";

export const cartRouter = router({
  get: protectedProcedure.query(({ ctx }) => getCart(ctx.db, ctx.session.userId)),
  addItem: idempotentProcedure("addItem", addItemOutput)
    .input(addItemInput)
    .mutation(({ ctx, input: { productId, quantity } }) => ctx.runOnce({ productId, quantity })),
  setQuantity: protectedProcedure
    .input(setQuantityInput)
    .mutation(({ ctx, input }) => setQuantity(ctx.db, ctx.session.userId, input.productId, input.quantity)),
  removeItem: protectedProcedure
    .input(removeItemInput)
    .mutation(({ ctx, input }) => removeItem(ctx.db, ctx.session.userId, input.productId)),
});
