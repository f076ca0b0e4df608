/**
 * The browser side of every keyed mutation (docs/protocol.md section 2), checkout and add-to-cart alike:
 * in-flight dedupe of an intent (layer 2), safe retries with X-Retry-Attempt (layer 3), the status watch
 * once the retries are spent, and the reports of what the client prevented. The key of each intent comes
 * from the caller (an IntentKeyStore for checkout, one per click for add-to-cart) and is sent unchanged by
 * every attempt. UI-free, so every path is unit-tested without a browser.
 */
import { HEADERS, type ReportedOperation } from "@/shared/names";
import { InFlight } from "./in-flight";
import { type RetryNotice, withRetries } from "./retry-policy";
import { failureOf } from "./trpc-failure";
import { abortableSleep, type KeyStatusView, type WatchResult, watchKey } from "./watch-key";

/** Per-call headers of one attempt (X-Retry-Attempt, X-Fault). */
export type CallHeaders = Record<string, string>;

export type ClientReport = {
  kind: "CLIENT_DEDUPED" | "CLIENT_RETRY";
  operation: ReportedOperation;
  key: string;
  attempt: number;
  causeStatus?: number;
};

type MutationDeps = {
  /** Fire and forget: a lost report must never disturb the mutation. */
  report: (report: ClientReport) => void;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** checkout.status-like read of a key's outcome, for the watch. */
  status?: (key: string) => Promise<KeyStatusView>;
  /** The watch's wait between status calls (cut short when the page goes away). */
  watchSleep?: (ms: number, signal: AbortSignal) => Promise<void>;
};

type SendOptions = {
  /** The intent's key; null only for the keyless unsafe baseline, which has nothing to report. */
  key: string | null;
  /** Extra headers of the first attempt only (a demo fault hits one attempt; retries go clean). */
  firstAttemptHeaders?: CallHeaders;
  onRetry?: (notice: RetryNotice) => void;
};

export class IdempotentMutation<Outcome> {
  private readonly inFlight = new InFlight<Outcome>();

  constructor(
    readonly operation: ReportedOperation,
    private readonly deps: MutationDeps,
  ) {}

  isPending(slot: string): boolean {
    return this.inFlight.isPending(slot);
  }

  /**
   * Starts the intent in `slot` unless it is already pending: then its promise is returned, nothing is sent,
   * and the dedupe is reported under the pending key (pendingKey is read after start, which may create it).
   */
  dedupe(
    slot: string,
    start: () => Promise<Outcome>,
    pendingKey: () => string | null,
  ): { promise: Promise<Outcome>; deduped: boolean } {
    const run = this.inFlight.run(slot, start);
    const key = run.deduped ? pendingKey() : null;
    if (key) this.deps.report({ kind: "CLIENT_DEDUPED", operation: this.operation, key, attempt: 1 });
    return run;
  }

  /**
   * Sends one attempt after another with the same key until an answer is final; throws the final error, or
   * RetriesExhausted when the outcome is unknown. Each retry is reported (keyed calls only).
   */
  send<T>(options: SendOptions, attempt: (headers: CallHeaders, n: number) => Promise<T>): Promise<T> {
    const { key } = options;
    return withRetries(
      (n) => attempt({ [HEADERS.retryAttempt]: String(n), ...(n === 1 ? options.firstAttemptHeaders : {}) }, n),
      {
        classify: failureOf,
        random: this.deps.random,
        sleep: this.deps.sleep,
        onRetry: (notice) => {
          options.onRetry?.(notice);
          if (!key) return;
          const causeStatus = notice.failure.kind === "http" ? notice.failure.status : 0;
          this.deps.report({
            kind: "CLIENT_RETRY",
            operation: this.operation,
            key,
            attempt: notice.nextAttempt,
            causeStatus,
          });
        },
      },
    );
  }

  /** Asks for the key's outcome (read-only, never resent) until it is final, unknown, or the signal aborts. */
  watch(key: string, signal: AbortSignal): Promise<WatchResult> {
    const { status } = this.deps;
    if (!status) return Promise.resolve({ kind: "unknown" });
    return watchKey({
      status: () => status(key),
      sleep: this.deps.watchSleep ?? abortableSleep,
      now: this.deps.now,
      signal,
    });
  }
}
