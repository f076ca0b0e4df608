import { getCart, removeItem, setQuantity } from "@/server/cart/cart-service";
import { addItemInput, addItemOutput, removeItemInput, setQuantityInput } from "@/server/cart/schema";
import { executeKeyed, keyedProcedure } from "../keyed";
import { protectedProcedure } from "../procedures";
import { router } from "../trpc";

export const cartRouter = router({
  get: protectedProcedure.query(({ ctx }) => getCart(ctx.db, ctx.session.userId)),
  addItem: keyedProcedure
    .input(addItemInput)
    .mutation(({ ctx, input }) =>
      executeKeyed(
        ctx,
        ctx.operations.addItem,
        { productId: input.productId, quantity: input.quantity },
        addItemOutput,
      ),
    ),
  setQuantity: protectedProcedure
    .input(setQuantityInput)
    .mutation(({ ctx, input }) => setQuantity(ctx.db, ctx.session.userId, input.productId, input.quantity)),
  removeItem: protectedProcedure
    .input(removeItemInput)
    .mutation(({ ctx, input }) => removeItem(ctx.db, ctx.session.userId, input.productId)),
});
