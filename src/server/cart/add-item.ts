import { insufficientStock } from "@/server/catalog/insufficient-stock";
import { DomainError } from "@/server/errors";
import type { IdempotentOperation } from "@/server/idempotency/operation";
import { OPERATIONS } from "@/shared/names";
import { type AddItemRequest, addItemRequest, MAX_CART_QUANTITY } from "./schema";

const ADD_ITEM = OPERATIONS.addItem;

/** cart.addItem: "add N more" is not idempotent by nature, so a retried add must replay, not add again. */
export function createAddItem(): IdempotentOperation<AddItemRequest> {
  return {
    name: ADD_ITEM,
    parseRequest: (json) => addItemRequest.parse(json),
    canonicalInput: (input) => ({ productId: input.productId, quantity: input.quantity }),
    async run(exec, input) {
      return exec.finish(async (tx) => {
        const product = await tx.product.findUnique({
          where: { id: input.productId },
          select: { id: true, name: true, stock: true },
        });
        if (!product) throw new DomainError("UNKNOWN_PRODUCT", `unknown product: ${input.productId}`);
        // Race: concurrent first adds. Cart.userId and CartItem(cartId, productId) are unique and both upserts
        // run as one INSERT ... ON CONFLICT statement (Prisma does so only with a non-empty update; an empty
        // one reads first and inserts after, which fails with P2002 on PostgreSQL): one cart, one line.
        const cart = await tx.cart.upsert({
          where: { userId: exec.userId },
          create: { userId: exec.userId },
          update: { userId: exec.userId },
          select: { id: true },
        });
        const line = await tx.cartItem.upsert({
          where: { cartId_productId: { cartId: cart.id, productId: input.productId } },
          create: { cartId: cart.id, productId: input.productId, quantity: input.quantity },
          update: { quantity: { increment: input.quantity } },
          select: { quantity: true },
        });
        if (line.quantity > MAX_CART_QUANTITY) {
          throw new DomainError("INVALID_INPUT", `at most ${MAX_CART_QUANTITY} of one product per cart`);
        }
        // Not a reservation (checkout reserves atomically): the line's new total, read back from its atomic
        // increment, is held against the stock; beyond it the throw rolls the increment back.
        if (line.quantity > product.stock) {
          throw insufficientStock([
            { productId: product.id, name: product.name, available: product.stock, requested: line.quantity },
          ]);
        }
        return { status: 201, body: { productId: input.productId, quantity: line.quantity, replayed: false } };
      });
    },
  };
}
