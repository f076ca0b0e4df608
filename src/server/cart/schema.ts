import { z } from "zod";
import { productId } from "@/server/checkout/schema";

export const MAX_CART_QUANTITY = 10;

const quantity = z
  .number()
  .int("quantity must be a whole number")
  .min(1, "quantity must be at least 1")
  .max(MAX_CART_QUANTITY, `quantity must be at most ${MAX_CART_QUANTITY}`);

export const addItemRequest = z.strictObject({ productId, quantity });
export type AddItemRequest = z.infer<typeof addItemRequest>;
export const addItemInput = addItemRequest.extend({ idempotencyKey: z.string().optional() });

export const setQuantityInput = z.strictObject({ productId, quantity: quantity.or(z.literal(0)) });
export const removeItemInput = z.strictObject({ productId });

export const addItemOutput = z.object({ productId: z.string(), quantity: z.number().int(), replayed: z.boolean() });
