/**
 * Names the server, the browser, the e2e specs and the benchmarks must spell identically. Pure data: this
 * module imports nothing, so any side can use it without pulling server code.
 */

/** tRPC paths of the mutations that carry an idempotency key. */
export const OPERATIONS = {
  placeOrder: "checkout.placeOrder",
  placeOrderUnsafe: "checkout.placeOrderUnsafe",
  addItem: "cart.addItem",
} as const;

/** Operations whose clients report their own retries and dedupes (the unsafe baseline has no key to report). */
export const REPORTED_OPERATIONS = [OPERATIONS.placeOrder, OPERATIONS.addItem] as const;
export type ReportedOperation = (typeof REPORTED_OPERATIONS)[number];

/**
 * HTTP header names as sent. `Headers` compares them case-insensitively; plain objects of received headers
 * (Node, Playwright) hold them lower-cased, so look those up with `.toLowerCase()`.
 */
export const HEADERS = {
  idempotencyKey: "Idempotency-Key",
  replayed: "Idempotent-Replayed",
  retryAttempt: "X-Retry-Attempt",
  fault: "X-Fault",
  retryAfter: "Retry-After",
} as const;

/** Payment tokens the simulated provider understands. */
export const CARD_TOKENS = ["tok_visa", "tok_declined"] as const;
export type CardToken = (typeof CARD_TOKENS)[number];
export const APPROVED_CARD: CardToken = "tok_visa";
export const DECLINED_CARD: CardToken = "tok_declined";

/** X-Fault values of the demo (docs/protocol.md section 8); `delay` takes milliseconds as `delay:<ms>`. */
export const FAULT_NAMES = [
  "lose-response",
  "delay",
  "provider-timeout-after-charge",
  "crash-after-charge",
  "db-busy",
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];
export const MAX_FAULT_DELAY_MS = 30_000;

/** Faults a background job delivery can be armed with from the dashboard. */
export const JOB_FAULT_NAMES = ["fail", "model-timeout-after-billing", "crash-before-save"] as const;
export type JobFaultName = (typeof JOB_FAULT_NAMES)[number];
