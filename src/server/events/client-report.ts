import { z } from "zod";
import { REPORTED_OPERATIONS } from "@/shared/names";
import type { EventWriter } from "./event-writer";

/** What the browser prevented or retried, reported so the dashboard can count client-side defences. */
export const clientReportInput = z.strictObject({
  kind: z.enum(["CLIENT_DEDUPED", "CLIENT_RETRY"]),
  operation: z.enum(REPORTED_OPERATIONS),
  key: z.uuid(),
  attempt: z.number().int().min(1).max(100).default(1),
  /** For CLIENT_RETRY: the status or error that caused the retry (0 = network error). */
  causeStatus: z.number().int().min(0).max(599).optional(),
});

export async function recordClientReport(
  events: EventWriter,
  userId: string,
  input: z.infer<typeof clientReportInput>,
) {
  await events.record({
    userId,
    operation: input.operation,
    key: input.key,
    recordId: null,
    outcome: input.kind,
    httpStatus: input.causeStatus ?? 0,
    reason: input.kind === "CLIENT_DEDUPED" ? "IN_FLIGHT_SUBMIT_DEDUPED" : "CLIENT_RETRY",
    attempt: input.attempt,
    latencyMs: 0,
    amountCents: null,
  });
  return { recorded: true };
}
