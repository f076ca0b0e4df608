import { OPERATIONS } from "@/shared/names";
import { type CallHeaders, type ClientReport, IdempotentMutation } from "./idempotent-mutation";
import { RetriesExhausted } from "./retry-policy";
import type { RouterOutputs } from "./router-outputs";
import { failureOf } from "./trpc-failure";

export type AddItemInput = { idempotencyKey: string; productId: string; quantity: number };
/** cart.addItem's answer, as the router declares it. */
export type AddedLine = RouterOutputs["cart"]["addItem"];

type AddItemTransport = {
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

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * cart.addItem with one key per add intent: a click makes a key, its retries reuse it, and a second
 * click on the same product while the first is pending is the same intent (deduped, nothing sent).
 */
export class AddToCartClient {
  private readonly mutation: IdempotentMutation<AddOutcome>;
  private readonly keys = new Map<string, string>();
  private readonly newKey: () => string;

  constructor(private readonly deps: AddToCartDeps) {
    this.newKey = deps.newKey ?? (() => crypto.randomUUID());
    this.mutation = new IdempotentMutation(OPERATIONS.addItem, {
      report: (report) => deps.transport.report(report),
      random: deps.random,
      sleep: deps.sleep,
      now: () => performance.now(),
    });
  }

  isPending(productId: string): boolean {
    return this.mutation.isPending(productId);
  }

  add(productId: string, quantity: number): { promise: Promise<AddOutcome>; deduped: boolean } {
    const start = () => {
      const key = this.newKey();
      this.keys.set(productId, key);
      return this.send(key, { idempotencyKey: key, productId, quantity }).finally(() => this.keys.delete(productId));
    };
    return this.mutation.dedupe(productId, start, () => this.keys.get(productId) ?? null);
  }

  private async send(key: string, input: AddItemInput): Promise<AddOutcome> {
    try {
      const line = await this.mutation.send({ key }, (headers) => this.deps.transport.addItem(input, headers));
      return { kind: "added", line };
    } catch (error) {
      if (error instanceof RetriesExhausted) return { kind: "unknown", message: messageOf(error.cause) };
      const failure = failureOf(error);
      if (failure.kind === "http" && failure.status < 500) return { kind: "refused", message: messageOf(error) };
      return { kind: "unknown", message: messageOf(error) };
    }
  }
}
