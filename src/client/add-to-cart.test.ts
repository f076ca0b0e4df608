import { describe, expect, it } from "vitest";
import { type AddedLine, type AddItemInput, AddToCartClient } from "./add-to-cart";
import type { CallHeaders, ClientReport } from "./idempotent-mutation";
import { networkError, serverError } from "./trpc-error.fixture";

/** A scripted cart.addItem: each call takes the next answer (or waits on it); every request is recorded. */
function setup(answers: (AddedLine | Error | Promise<AddedLine>)[]) {
  const sent: { input: AddItemInput; headers: CallHeaders }[] = [];
  const reports: ClientReport[] = [];
  let n = 0;
  const client = new AddToCartClient({
    transport: {
      addItem: async (input, headers) => {
        sent.push({ input, headers });
        const answer = answers.shift();
        if (!answer) throw new Error("no scripted answer left");
        if (answer instanceof Error) throw answer;
        return answer;
      },
      report: (r) => void reports.push(r),
    },
    random: () => 0.5,
    sleep: async () => undefined,
    newKey: () => `key-${++n}`,
  });
  return { client, sent, reports };
}

const line = (replayed: boolean): AddedLine => ({ productId: "mug", quantity: 1, replayed });

describe("AddToCartClient", () => {
  it("retries a lost answer with the same key and reports the retry", async () => {
    const t = setup([networkError(), serverError(503, "TRANSIENT_FAILURE"), line(true)]);
    const outcome = await t.client.add("mug", 1).promise;
    expect(outcome).toEqual({ kind: "added", line: line(true) });
    expect(t.sent.map((s) => [s.input.idempotencyKey, s.headers["X-Retry-Attempt"]])).toEqual([
      ["key-1", "1"],
      ["key-1", "2"],
      ["key-1", "3"],
    ]);
    expect(t.reports).toEqual([
      { kind: "CLIENT_RETRY", operation: "cart.addItem", key: "key-1", attempt: 2, causeStatus: 0 },
      { kind: "CLIENT_RETRY", operation: "cart.addItem", key: "key-1", attempt: 3, causeStatus: 503 },
    ]);
  });

  it("dedupes a second click on the same product while the first is pending, then starts a new intent", async () => {
    let answer: (l: AddedLine) => void = () => undefined;
    const t = setup([new Promise<AddedLine>((resolve) => (answer = resolve)), line(false)]);
    const first = t.client.add("mug", 1);
    const second = t.client.add("mug", 1);
    expect(second.deduped).toBe(true);
    expect(second.promise).toBe(first.promise);
    expect(t.client.isPending("mug")).toBe(true);
    expect(t.reports).toEqual([{ kind: "CLIENT_DEDUPED", operation: "cart.addItem", key: "key-1", attempt: 1 }]);
    answer(line(false));
    await first.promise;
    expect(t.client.isPending("mug")).toBe(false);
    await t.client.add("mug", 1).promise;
    expect(t.sent.map((s) => s.input.idempotencyKey)).toEqual(["key-1", "key-2"]);
  });

  it("ends on a refusal without retrying it", async () => {
    const t = setup([serverError(404, "UNKNOWN_PRODUCT")]);
    const outcome = await t.client.add("nope", 1).promise;
    expect(outcome.kind).toBe("refused");
    expect(t.sent).toHaveLength(1);
    expect(t.reports).toEqual([]);
  });
});
