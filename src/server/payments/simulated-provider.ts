import { createHash, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "@/server/db";
import { isUniqueViolation } from "@/server/lib/unique-violation";
import { DECLINED_CARD } from "@/shared/names";
import {
  type Charge,
  type ChargeRecord,
  type ChargeRequest,
  type PaymentProvider,
  ProviderRequestError,
  testCardTokens,
} from "./provider";

const chargeView = { id: true, providerKey: true, amountCents: true, status: true, declineCode: true } as const;

const paramsHash = (r: ChargeRequest) => createHash("sha256").update(`${r.amountCents}|${r.token}`).digest("hex");

/**
 * A stand-in for a card processor with Stripe-like idempotency: the first request with a key decides
 * the charge; repeats with the same parameters get that charge back; other parameters are refused.
 */
export class SimulatedProvider implements PaymentProvider {
  constructor(
    private readonly db: Db,
    private readonly latencyMs: number = 0,
  ) {}

  async charge(request: ChargeRequest): Promise<Charge> {
    if (!Number.isInteger(request.amountCents) || request.amountCents <= 0) {
      throw new ProviderRequestError("invalid_amount", "amount must be a positive whole number of cents");
    }
    if (!testCardTokens.some((t) => t === request.token)) {
      throw new ProviderRequestError("invalid_token", `unknown card token ${request.token}`);
    }
    if (this.latencyMs > 0) await sleep(this.latencyMs);

    const hash = paramsHash(request);
    const declined = request.token === DECLINED_CARD;
    let charge: Charge;
    try {
      charge = await this.db.providerCharge.create({
        data: {
          id: `ch_${randomBytes(12).toString("hex")}`,
          providerKey: request.providerKey,
          paramsHash: hash,
          amountCents: request.amountCents,
          token: request.token,
          status: declined ? "DECLINED" : "SUCCEEDED",
          declineCode: declined ? "card_declined" : null,
        },
        select: chargeView,
      });
    } catch (error) {
      // Race: the same provider key sent twice at once (a retry racing its slow original, or the recovery
      // worker racing a client). The unique providerKey lets one charge exist; the other call returns it.
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.db.providerCharge.findUniqueOrThrow({
        where: { providerKey: request.providerKey },
        select: { ...chargeView, paramsHash: true },
      });
      if (existing.paramsHash !== hash) {
        throw new ProviderRequestError("idempotency_key_reused", "provider key reused with different parameters");
      }
      // Counted in the provider's own ledger, so an order's story can say a repeat got the original charge.
      await this.db.providerCharge.updateMany({
        where: { providerKey: request.providerKey },
        data: { repeatsAnswered: { increment: 1 } },
      });
      const { paramsHash: _ignored, ...original } = existing;
      charge = original;
    }
    return charge;
  }

  async retrieve(providerKey: string): Promise<ChargeRecord | null> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    return this.db.providerCharge.findUnique({
      where: { providerKey },
      select: { ...chargeView, repeatsAnswered: true },
    });
  }
}
