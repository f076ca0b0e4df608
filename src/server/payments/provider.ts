import { CARD_TOKENS } from "@/shared/names";

/**
 * The payment provider as the app sees it: a remote API with its own idempotency keys. The app talks to
 * it only through this interface; the simulated implementation keeps its own ledger.
 */
export type ChargeStatus = "SUCCEEDED" | "DECLINED";

export type Charge = {
  id: string;
  providerKey: string;
  amountCents: number;
  status: ChargeStatus;
  declineCode: string | null;
};

/** A charge as the provider's ledger holds it, with how many repeated calls it answered. */
export type ChargeRecord = Charge & { repeatsAnswered: number };

export type ChargeRequest = {
  /** The provider's idempotency key: a repeated key returns the original charge, never a second one. */
  providerKey: string;
  amountCents: number;
  token: string;
};

export interface PaymentProvider {
  charge(request: ChargeRequest): Promise<Charge>;
  /** Looks a charge up by its idempotency key (what a client does after a timeout). */
  retrieve(providerKey: string): Promise<ChargeRecord | null>;
}

export const testCardTokens = CARD_TOKENS;

/** The provider rejected the request itself (bad parameters, key reused with other parameters). */
export class ProviderRequestError extends Error {
  constructor(
    readonly code: "invalid_token" | "idempotency_key_reused" | "invalid_amount",
    message: string,
  ) {
    super(message);
    this.name = "ProviderRequestError";
  }
}

/** The call's outcome is unknown to the caller: retry with the same key. */
export class ProviderTimeoutError extends Error {
  constructor(message = "payment provider timed out") {
    super(message);
    this.name = "ProviderTimeoutError";
  }
}
