import type { Db } from "@/server/db";
import { observeRequestEvent } from "@/server/metrics/observe";
import type { RequestEventInput } from "./request-event";

/** One row per keyed request. Never fails the request it describes: a lost event is logged, not thrown. */
export async function recordEvent(db: Db, event: RequestEventInput): Promise<void> {
  observeRequestEvent(event);
  try {
    await db.requestEvent.create({
      data: { ...event, key: event.key?.slice(0, 255) ?? null, latencyMs: Math.max(0, Math.round(event.latencyMs)) },
      select: { id: true },
    });
  } catch (error) {
    console.error("[events] could not record a request event", error);
  }
}
