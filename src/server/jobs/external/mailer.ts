import { randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import { isUniqueViolation } from "@/server/lib/unique-violation";

export type Email = {
  /** The mailer's idempotency key: a repeated key returns the first e-mail; null sends unconditionally. */
  messageKey: string | null;
  to: string;
  subject: string;
  body: string;
};

export type SentMessage = { id: string; replayed: boolean };

/** A transactional e-mail API: a repeated message key returns the first e-mail instead of sending again. */
export type Mailer = { send(email: Email): Promise<SentMessage> };

/**
 * A stand-in for a transactional e-mail API with Postmark/SES-like idempotency. Its ledger (SentEmail)
 * is the external effect: one row is one e-mail in a shopper's inbox.
 */
export class SimulatedMailer implements Mailer {
  constructor(private readonly db: Db) {}

  async send(email: Email): Promise<SentMessage> {
    try {
      const sent = await this.db.sentEmail.create({
        data: { id: `msg_${randomBytes(12).toString("hex")}`, ...email },
        select: { id: true },
      });
      return { id: sent.id, replayed: false };
    } catch (error) {
      // Race: the same message key sent twice (a redelivery, or two deliveries after a lease expired).
      // The unique messageKey lets one e-mail exist; the repeat gets it back instead of a second e-mail.
      if (!isUniqueViolation(error) || email.messageKey === null) throw error;
      const first = await this.db.sentEmail.findUniqueOrThrow({
        where: { messageKey: email.messageKey },
        select: { id: true },
      });
      return { id: first.id, replayed: true };
    }
  }
}
