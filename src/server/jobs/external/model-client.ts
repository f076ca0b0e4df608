import { createHash, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "@/server/db";
import { isUniqueViolation } from "@/server/lib/unique-violation";

export type ModelRequest = {
  /** The API's idempotency key: a repeat is answered from the first (billed) call, not billed again. */
  idempotencyKey: string | null;
  model: string;
  prompt: string;
};

type ModelAnswer = { score: number; verdict: "APPROVE" | "REVIEW" };

export type ModelResult = {
  callId: string;
  tokens: number;
  costMicros: number;
  answer: ModelAnswer;
  /** True when the key had been billed before: this answer cost nothing. */
  replayed: boolean;
};

/** A paid model API: a call is billed once per idempotency key. */
export type ModelClient = { complete(request: ModelRequest): Promise<ModelResult> };

/** The call's outcome is unknown to the caller (it may have been billed): retry with the same key. */
export class ModelTimeoutError extends Error {
  constructor() {
    super("model API timed out after billing the call");
    this.name = "ModelTimeoutError";
  }
}

class ModelRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelRequestError";
  }
}

/** Price of the simulated model: 10 USD per million tokens. */
export const MICROS_PER_TOKEN = 10;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** What the model "answers": deterministic in its input, so equal requests get equal answers. */
function evaluate(
  model: string,
  prompt: string,
): { answer: ModelAnswer; promptTokens: number; completionTokens: number } {
  const digest = sha256(`${model}\n${prompt}`);
  const score = Number.parseInt(digest.slice(0, 8), 16) % 100;
  return {
    answer: { score, verdict: score >= 85 ? "REVIEW" : "APPROVE" },
    promptTokens: 600 + Math.ceil(prompt.length / 4),
    completionTokens: 150 + (Number.parseInt(digest.slice(8, 10), 16) % 50),
  };
}

/**
 * A stand-in for a paid LLM API with OpenAI/Stripe-like idempotency keys. Every billed call is a row in
 * its ledger (ModelCall: tokens and cost); random latency up to `maxLatencyMs`.
 */
export class SimulatedModelClient implements ModelClient {
  constructor(
    private readonly db: Db,
    private readonly maxLatencyMs: number = 0,
  ) {}

  async complete(request: ModelRequest): Promise<ModelResult> {
    if (this.maxLatencyMs > 0) await sleep(Math.round(Math.random() * this.maxLatencyMs));
    const inputHash = sha256(`${request.model}\n${request.prompt}`);
    const { answer, promptTokens, completionTokens } = evaluate(request.model, request.prompt);
    const tokens = promptTokens + completionTokens;
    try {
      const call = await this.db.modelCall.create({
        data: {
          id: `call_${randomBytes(12).toString("hex")}`,
          requestKey: request.idempotencyKey,
          model: request.model,
          inputHash,
          promptTokens,
          completionTokens,
          tokens,
          costMicros: tokens * MICROS_PER_TOKEN,
          resultJson: JSON.stringify(answer),
        },
        select: { id: true },
      });
      return { callId: call.id, tokens, costMicros: tokens * MICROS_PER_TOKEN, answer, replayed: false };
    } catch (error) {
      // Race: the same key sent twice (a retry after a timeout, or two deliveries at once). The unique
      // requestKey lets one billed call exist; the repeat is answered from it and costs nothing.
      if (!isUniqueViolation(error) || request.idempotencyKey === null) throw error;
      const first = await this.db.modelCall.findUniqueOrThrow({
        where: { requestKey: request.idempotencyKey },
        select: { id: true, inputHash: true, tokens: true, costMicros: true, resultJson: true },
      });
      if (first.inputHash !== inputHash) throw new ModelRequestError("idempotency key reused with another request");
      return {
        callId: first.id,
        tokens: first.tokens,
        costMicros: first.costMicros,
        answer: JSON.parse(first.resultJson) as ModelAnswer,
        replayed: true,
      };
    }
  }
}
