import type { Tx } from "@/server/db";
import { observeRequestEvent } from "@/server/metrics/observe";
import { eventRow } from "./event-writer";
import type { RequestEventInput } from "./request-event";

/**
 * A first execution's event, written by the phase that completes its record: the event is durable exactly
 * when the result is, and costs no commit of its own.
 */
export async function recordEventIn(tx: Tx, event: RequestEventInput): Promise<void> {
  await tx.requestEvent.create({ data: eventRow(event), select: { id: true } });
  observeRequestEvent(event);
}
