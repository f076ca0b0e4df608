import { insufficientStock } from "@/server/catalog/insufficient-stock";
import { DomainError } from "@/server/errors";
import type { IdempotentOperation } from "@/server/idempotency/operation";
import { rowId } from "@/server/lib/row-id";
import { OPERATIONS } from "@/shared/names";
import { type AddItemRequest, addItemRequest, MAX_CART_QUANTITY } from "./schema";

const ADD_ITEM = OPERATIONS.addItem;

const PRODUCT = `SELECT "id", "name", "stock" FROM "Product" WHERE "id" = $1`;
const UPSERT_CART = `INSERT INTO "Cart" ("id", "userId", "updatedAt") VALUES ($1, $2, $3)
  ON CONFLICT ("userId") DO UPDATE SET "updatedAt" = excluded."updatedAt" RETURNING "id"`;
const ADD_TO_LINE = `INSERT INTO "CartItem" ("id", "cartId", "productId", "quantity") VALUES ($1, $2, $3, $4)
  ON CONFLICT ("cartId", "productId") DO UPDATE SET "quantity" = "CartItem"."quantity" + excluded."quantity"
  RETURNING "quantity"`;

/** cart.addItem: "add N more" is not idempotent by nature, so a retried add must replay, not add again. */
export function createAddItem(): IdempotentOperation<AddItemRequest> {
  return {
    name: ADD_ITEM,
    parseRequest: (json) => addItemRequest.parse(json),
    canonicalInput: (input) => ({ productId: input.productId, quantity: input.quantity }),
    async run(exec, input) {
      return exec.finish(async (tx) => {
        const [product] = await tx.rows<{ id: string; name: string; stock: number }>(PRODUCT, [input.productId]);
        if (!product) throw new DomainError("UNKNOWN_PRODUCT", `unknown product: ${input.productId}`);
        // Race: concurrent first adds. Cart.userId and CartItem(cartId, productId) are unique and both upserts
        // are one INSERT ... ON CONFLICT statement each: one cart, one line.
        const now = new Date();
        const [cart] = await tx.rows<{ id: string }>(UPSERT_CART, [rowId(), exec.userId, now]);
        if (!cart) throw new Error(`the cart of ${exec.userId} was not written`);
        const [line] = await tx.rows<{ quantity: number }>(ADD_TO_LINE, [
          rowId(),
          cart.id,
          input.productId,
          input.quantity,
        ]);
        if (!line) throw new Error(`the cart line of ${input.productId} was not written`);
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
