import { z } from "zod";
import { testCardTokens } from "@/server/payments/provider";

const MAX_LINE_ITEMS = 20;
const MAX_QUANTITY = 10;

export const productId = z.string().trim().min(1, "productId is required").max(64, "productId is too long");
const lineItem = z.strictObject({
  productId,
  quantity: z
    .number()
    .int("quantity must be a whole number")
    .min(1, "quantity must be at least 1")
    .max(MAX_QUANTITY, `quantity must be at most ${MAX_QUANTITY}`),
});

/** The part of the request that defines the intent (what is fingerprinted and stored). */
export const placeOrderRequest = z.strictObject({
  items: z
    .array(lineItem)
    .min(1, "the cart is empty")
    .max(MAX_LINE_ITEMS, `at most ${MAX_LINE_ITEMS} line items`)
    .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, {
      message: "each product may appear once; merge the quantities",
    }),
  payment: z.strictObject({
    token: z.enum(testCardTokens, { message: `token must be one of ${testCardTokens.join(", ")}` }),
  }),
});
export type PlaceOrderRequest = z.infer<typeof placeOrderRequest>;

export const placeOrderInput = placeOrderRequest.extend({
  idempotencyKey: z.string().optional(),
  confirmDuplicate: z.boolean().optional(),
});

export const placeOrderOutput = z.object({
  orderId: z.string(),
  status: z.enum(["PAID", "PAYMENT_FAILED"]),
  totalCents: z.number().int(),
  chargeId: z.string(),
  replayed: z.boolean(),
});
export type PlaceOrderResponse = z.infer<typeof placeOrderOutput>;

/** Canonical form: line items sorted by product, so equal carts in any order are the same intent. */
export const canonicalOrderRequest = (r: PlaceOrderRequest): PlaceOrderRequest => ({
  items: [...r.items]
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))
    .map((i) => ({ productId: i.productId, quantity: i.quantity })),
  payment: { token: r.payment.token },
});

/** checkout.status: the shopper's own key, as sent with placeOrder (keys are stored lower-case). */
export const checkoutStatusInput = z.strictObject({
  idempotencyKey: z.uuid("idempotencyKey must be a UUID").transform((key) => key.toLowerCase()),
});
