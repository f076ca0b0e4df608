import type { CheckoutRetryNotice, WatchOutcome } from "@/client/checkout-client";
import { shortKey } from "@/client/intent-key";

/**
 * What the checkout page says while it retries or watches a key. Every sentence must be true of what the
 * page is doing: "safely" only with a key, "nothing is sent again" only while it reads checkout.status.
 */
export function retryText(n: CheckoutRetryNotice): string {
  const where = `(attempt ${n.nextAttempt} of ${n.maxAttempts})…`;
  if (!n.keyed) return `No answer: retrying WITHOUT an idempotency key ${where} This can charge your card twice.`;
  if (n.failure.kind === "network" || n.failure.status === 502 || n.failure.status === 504) {
    return `Connection lost, retrying safely ${where}`;
  }
  if (n.failure.status === 409) return `Your payment is still being processed, checking again safely ${where}`;
  return `The shop is busy, retrying safely ${where}`;
}

/** Why the page is asking checkout.status: its retries ran out, or it was reloaded with an intent unresolved. */
export type WatchCause = { kind: "retries"; attempts: number } | { kind: "reload" };

const keyText = (key: string | null) => (key ? ` (key ${shortKey(key)})` : "");

export function watchingText(cause: WatchCause, key: string | null): string {
  return cause.kind === "reload"
    ? `Resuming your earlier payment safely with the same key${keyText(key)}: asking the shop what became of it. Nothing is sent again.`
    : `We could not confirm your payment after ${cause.attempts} attempts, so we are asking the shop what became of it${keyText(key)}. This page updates by itself; nothing is sent again.`;
}

/** A watch that ended without a final answer to show. */
export type WatchEnd = Extract<WatchOutcome, { kind: "not-recorded" | "gave-up" }>;

const waitedText = (waitedMs: number) => {
  const minutes = Math.max(1, Math.round(waitedMs / 60_000));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
};

export function watchEndedText(outcome: WatchEnd, key: string | null): string {
  if (outcome.kind === "not-recorded") {
    return `Your payment never reached the shop${keyText(key)}, so nothing was charged. Press Pay to send it: it reuses the same key and can never charge twice.`;
  }
  return `We still have no final answer after ${waitedText(outcome.waitedMs)}. Nothing is lost: if your card was charged, the order completes by itself and appears in Your orders. Pressing Pay resumes the same attempt${keyText(key)} and can never charge twice.`;
}

export const unsafeUnknownText = (attempts: number) =>
  `We could not confirm your payment after ${attempts} attempts. Without an idempotency key the shop cannot tell a retry from a new order: check Your orders before paying again, or you may be charged twice.`;

export const waitingForOtherText = (otherKey: string) =>
  `Waiting for your other payment of this same order${keyText(otherKey)} to finish. This page shows its outcome; nothing is sent from here.`;

export function otherEndedText(outcome: WatchEnd, otherKey: string): string {
  if (outcome.kind === "not-recorded") {
    return `Your other payment of this order${keyText(otherKey)} did not go through, and nothing was charged for it. Press Pay to pay here.`;
  }
  return `Your other payment${keyText(otherKey)} has no final answer after ${waitedText(outcome.waitedMs)}. If the card was charged, the order completes by itself and appears in Your orders; check there before paying again.`;
}
