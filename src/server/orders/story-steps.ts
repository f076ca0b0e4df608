import type { RequestOutcome } from "@/generated/sqlite/enums";

/** What one attempt (or browser report) of an intent came to, in the shopper's words. */
type StepOutcome =
  | "executed"
  | "response-lost"
  | "replayed"
  | "refused-in-flight"
  | "taken-over"
  | "resumed"
  | "recovered-by-worker"
  | "resumed-by-worker"
  | "crashed"
  | "transient-failure"
  | "duplicate-suspected"
  | "refused"
  | "failed"
  | "unsafe-executed"
  | "click-absorbed"
  | "browser-retry";

export type StoryStep = {
  at: string;
  by: "browser" | "server" | "recovery worker";
  /** The browser's attempt number (X-Retry-Attempt); 0 for the recovery worker. */
  attempt: number;
  httpStatus: number | null;
  outcome: StepOutcome;
  /** Why this attempt happened, when it was a retry or a takeover. */
  cause: string | null;
  reason: string | null;
};

export type StoryEvent = {
  createdAt: Date;
  outcome: RequestOutcome;
  httpStatus: number;
  reason: string | null;
  attempt: number;
};

const WORKER_REASON = "RECOVERY_WORKER";

const byWorker = (e: StoryEvent) => e.attempt === 0 && (e.reason?.startsWith(WORKER_REASON) ?? false);

function outcomeOf(e: StoryEvent): StepOutcome {
  const worker = byWorker(e);
  switch (e.outcome) {
    case "EXECUTED":
      return e.reason === "RESPONSE_LOST" ? "response-lost" : "executed";
    case "REPLAYED":
      return "replayed";
    case "IN_FLIGHT_CONFLICT":
      return "refused-in-flight";
    case "RECOVERED":
      return worker ? "recovered-by-worker" : "taken-over";
    case "RESUMED":
      return worker ? "resumed-by-worker" : "resumed";
    case "TRANSIENT_FAILURE":
      return "transient-failure";
    case "DUPLICATE_SUSPECTED":
      return "duplicate-suspected";
    case "UNSAFE_EXECUTED":
      return "unsafe-executed";
    case "CLIENT_DEDUPED":
      return "click-absorbed";
    case "CLIENT_RETRY":
      return "browser-retry";
    case "FAILED":
      return e.reason === "SIMULATED_CRASH" ? "crashed" : "failed";
    default:
      return "refused";
  }
}

/** The answer a retry was reacting to, as the browser reported it (0 = no answer at all). */
const describeCause = (status: number): string =>
  status === 0 ? "the previous attempt got no answer (network error)" : `the previous attempt answered ${status}`;

/**
 * The intent's events, oldest first, as steps. A server attempt numbered n > 1 was a retry: its cause is the
 * status the browser reported when it decided to send attempt n. Worker steps say what the worker picked up.
 */
export function storySteps(events: readonly StoryEvent[]): StoryStep[] {
  const retryCauses = new Map<number, number>();
  for (const e of events) if (e.outcome === "CLIENT_RETRY") retryCauses.set(e.attempt, e.httpStatus);
  return [...events]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((e) => {
      const outcome = outcomeOf(e);
      const browser = outcome === "click-absorbed" || outcome === "browser-retry";
      let cause: string | null = null;
      if (outcome === "recovered-by-worker") cause = "the crashed attempt's lease expired; the worker took it over";
      else if (outcome === "resumed-by-worker") cause = "the attempt failed transiently; the worker resumed it";
      else if (outcome === "browser-retry") cause = describeCause(e.httpStatus);
      else if (!browser && e.attempt > 1) {
        const status = retryCauses.get(e.attempt);
        cause = status === undefined ? `retry ${e.attempt}` : `retry ${e.attempt}: ${describeCause(status)}`;
      }
      return {
        at: e.createdAt.toISOString(),
        by: browser ? "browser" : byWorker(e) ? "recovery worker" : "server",
        attempt: e.attempt,
        httpStatus: browser ? null : e.httpStatus,
        outcome,
        cause,
        reason: e.reason,
      };
    });
}
