import { HEADERS, OPERATIONS } from "@/shared/names";
import type { CallHeaders, ClientReport } from "./checkout-client";
import { InFlight } from "./in-flight";
import { RetriesExhausted, withRetries } from "./retry-policy";
import { failureOf } from "./trpc-failure";

export type AddItemInput = { idempotencyKey: string; productId: string; quantity: number };
export type AddedLine = { productId: string; quantity: number; replayed: boolean };

export type AddItemTransport = {
  addItem(input: AddItemInput, headers: CallHeaders): Promise<AddedLine>;
  report(report: ClientReport): void;
};

export type AddOutcome =
  | { kind: "added"; line: AddedLine }
  | { kind: "refused"; message: string }
  | { kind: "unknown"; message: string };

export type AddToCartDeps = {
  transport: AddItemTransport;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  newKey?: () => string;
};

const OPERATION = OPERATIONS.addItem;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * cart.addItem with one key per add intent: a click makes a key, its retries reuse it, and a second
 * click on the same product while the first is pending is the same intent (deduped, nothing sent).
 */
export class AddToCartClient {
  private readonly inFlight = new InFlight<AddOutcome>();
  private readonly keys = new Map<string, string>();
  private readonly newKey: () => string;

  constructor(private readonly deps: AddToCartDeps) {
    this.newKey = deps.newKey ?? (() => crypto.randomUUID());
  }

  isPending(productId: string): boolean {
    return this.inFlight.isPending(productId);
  }

  add(productId: string, quantity: number): { promise: Promise<AddOutcome>; deduped: boolean } {
    const run = this.inFlight.run(productId, () => {
      const key = this.newKey();
      this.keys.set(productId, key);
      return this.send(key, { idempotencyKey: key, productId, quantity }).finally(() => this.keys.delete(productId));
    });
    const key = this.keys.get(productId);
    if (run.deduped && key)
      this.deps.transport.report({ kind: "CLIENT_DEDUPED", operation: OPERATION, key, attempt: 1 });
    return run;
  }

  private async send(key: string, input: AddItemInput): Promise<AddOutcome> {
    try {
      const line = await withRetries(
        (attempt) => this.deps.transport.addItem(input, { [HEADERS.retryAttempt]: String(attempt) }),
        {
          classify: failureOf,
          random: this.deps.random,
          sleep: this.deps.sleep,
          onRetry: (notice) =>
            this.deps.transport.report({
              kind: "CLIENT_RETRY",
              operation: OPERATION,
              key,
              attempt: notice.nextAttempt,
              causeStatus: notice.failure.kind === "http" ? notice.failure.status : 0,
            }),
        },
      );
      return { kind: "added", line };
    } catch (error) {
      if (error instanceof RetriesExhausted) return { kind: "unknown", message: messageOf(error.cause) };
      const failure = failureOf(error);
      if (failure.kind === "http" && failure.status < 500) return { kind: "refused", message: messageOf(error) };
      return { kind: "unknown", message: messageOf(error) };
    }
  }
}
