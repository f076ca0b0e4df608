import type { RequestOutcome } from "@/generated/sqlite/enums";

/** What one RequestEvent row says about one keyed request (or one client report). */
export type RequestEventInput = {
  userId: string | null;
  operation: string;
  key: string | null;
  recordId: string | null;
  outcome: RequestOutcome;
  httpStatus: number;
  reason: string | null;
  attempt: number;
  latencyMs: number;
  amountCents: number | null;
};
