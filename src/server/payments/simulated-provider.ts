import { createHash, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Db, sqlOf } from "@/server/db";
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

/**
 * The provider's ledger, in SQL (the simulated provider stands for a remote system: its one statement per
 * charge is sent on the SQL path, outside Prisma's query interpreter). The row's time is set here, as Prisma
 * sets it, so both databases hold one format.
 */
const INSERT_CHARGE = `INSERT INTO "ProviderCharge" ("id", "providerKey", "paramsHash", "amountCents", "token", "status",
  "declineCode", "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
const CHARGE_BY_KEY = `SELECT "id", "providerKey", "amountCents", "status", "declineCode", "paramsHash", "repeatsAnswered"
  FROM "ProviderCharge" WHERE "providerKey" = $1`;
const COUNT_REPEAT = `UPDATE "ProviderCharge" SET "repeatsAnswered" = "repeatsAnswered" + 1 WHERE "providerKey" = $1`;

type LedgerRow = ChargeRecord & { paramsHash: string };
const chargeOf = ({ id, providerKey, amountCents, status, declineCode }: LedgerRow): Charge => ({
  id,
  providerKey,
  amountCents,
  status,
  declineCode,
});

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
    const sql = sqlOf(this.db);
    const charge: Charge = {
      id: `ch_${randomBytes(12).toString("hex")}`,
      providerKey: request.providerKey,
      amountCents: request.amountCents,
      status: declined ? "DECLINED" : "SUCCEEDED",
      declineCode: declined ? "card_declined" : null,
    };
    try {
      await sql.run(INSERT_CHARGE, [
        charge.id,
        charge.providerKey,
        hash,
        charge.amountCents,
        request.token,
        charge.status,
        charge.declineCode,
        new Date(),
      ]);
      return charge;
    } catch (error) {
      // Race: the same provider key sent twice at once (a retry racing its slow original, or the recovery
      // worker racing a client). The unique providerKey lets one charge exist; the other call returns it.
      if (!isUniqueViolation(error)) throw error;
    }
    const [existing] = await sql.rows<LedgerRow>(CHARGE_BY_KEY, [request.providerKey]);
    if (!existing) throw new Error(`provider key ${request.providerKey} conflicted but holds no charge`);
    if (existing.paramsHash !== hash) {
      throw new ProviderRequestError("idempotency_key_reused", "provider key reused with different parameters");
    }
    // Counted in the provider's own ledger, so an order's story can say a repeat got the original charge.
    await sql.run(COUNT_REPEAT, [request.providerKey]);
    return chargeOf(existing);
  }

  async retrieve(providerKey: string): Promise<ChargeRecord | null> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const [found] = await sqlOf(this.db).rows<LedgerRow>(CHARGE_BY_KEY, [providerKey]);
    return found ? { ...chargeOf(found), repeatsAnswered: found.repeatsAnswered } : null;
  }
}
