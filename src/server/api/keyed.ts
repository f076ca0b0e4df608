import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z } from "zod";
import { DomainError } from "@/server/errors";
import { outcomeForReason } from "@/server/events/outcome";
import { refusedDuplicateAmount } from "@/server/events/protected-amount";
import { recordEvent } from "@/server/events/record-event";
import { FAULT_HEADER, type Fault, parseFault, SimulatedCrash } from "@/server/faults";
import { runIdempotent } from "@/server/idempotency/engine";
import { resolveKey } from "@/server/idempotency/key";
import { storedRefusal } from "@/server/idempotency/poison";
import type { IdempotentOperation, IdempotentResult } from "@/server/idempotency/types";
import { observeUnrecorded } from "@/server/metrics/observe";
import { HEADERS } from "@/shared/names";
import type { Context } from "./context";
import { baseProcedure, domainErrorOf, middleware, reasonOf } from "./trpc";

export const IDEMPOTENCY_KEY_HEADER = HEADERS.idempotencyKey;
export const RETRY_ATTEMPT_HEADER = HEADERS.retryAttempt;
export const REPLAYED_HEADER = HEADERS.replayed;

type KeyedState = { key: string | null; fault: Fault | null; result: IdempotentResult | null };

const attemptHeader = z.coerce.number().int().min(1).max(1000).catch(1);
const rawKeyFromHeaders = (headers: Headers): string | null => headers.get(IDEMPOTENCY_KEY_HEADER);
const rawKeyOf = (raw: unknown): unknown =>
  typeof raw === "object" && raw !== null && "idempotencyKey" in raw ? raw.idempotencyKey : undefined;

const recordIdOf = (domain: DomainError | null): string | null =>
  typeof domain?.details.recordId === "string" ? domain.details.recordId : null;

/**
 * Writes exactly one RequestEvent per signed-in keyed request, whatever happened to it (even bad input).
 * Anonymous requests are only counted in the metrics: anyone can send them, so they must not grow a table.
 */
const recordKeyedRequest = middleware(async ({ ctx, path, next, getRawInput }) => {
  const started = performance.now();
  const rawKey = rawKeyOf(await getRawInput().catch(() => undefined));
  const state: KeyedState = { key: typeof rawKey === "string" ? rawKey : null, fault: null, result: null };
  const result = await next({ ctx: { keyed: state } });
  const error = result.ok ? null : result.error;
  const domain = error ? domainErrorOf(error) : null;
  const reason = error ? reasonOf(error) : null;
  if (!ctx.session) {
    observeUnrecorded(path, reason ?? "OK");
    return result;
  }
  const userId = ctx.session.userId;
  const key = state.key ?? rawKeyFromHeaders(ctx.headers);
  await recordEvent(ctx.db, {
    userId,
    operation: path,
    key,
    recordId: state.result?.recordId ?? recordIdOf(domain),
    outcome: state.result?.outcome ?? (reason ? outcomeForReason(reason) : "EXECUTED"),
    httpStatus: domain ? domain.status : error ? getHTTPStatusCodeFromError(error) : (ctx.response.status ?? 200),
    reason,
    attempt: attemptHeader.parse(ctx.headers.get(RETRY_ATTEMPT_HEADER) ?? undefined),
    latencyMs: performance.now() - started,
    amountCents:
      state.result?.outcome === "REPLAYED"
        ? state.result.amountCents
        : await refusedDuplicateAmount(ctx.db, {
            reason,
            orderId: domain?.details.orderId,
            recordId: domain?.details.recordId,
          }),
  });
  return result;
});

/**
 * One HTTP response cannot carry a status, Idempotency-Key and Idempotent-Replayed per call, so a keyed
 * mutation inside a tRPC batch is refused before anything (even its event) is written.
 */
const unbatched = middleware(({ ctx, next }) => {
  if (ctx.batched) {
    throw new DomainError(
      "KEYED_CALL_IN_BATCH",
      "keyed mutations cannot be batched: send each one in its own request (no ?batch=1)",
    );
  }
  return next();
});

/**
 * A keyed mutation: unbatched, signed in, with a valid idempotency key (input field or Idempotency-Key
 * header) and, in the demo, an optional X-Fault. Bad keys are refused before the input is even parsed.
 */
export const keyedProcedure = baseProcedure
  .use(unbatched)
  .use(recordKeyedRequest)
  .use(({ ctx, next }) => {
    if (!ctx.session) throw new DomainError("UNAUTHENTICATED", "sign in first");
    return next({ ctx: { session: ctx.session } });
  })
  .use(async ({ ctx, next, getRawInput }) => {
    ctx.keyed.key = resolveKey(rawKeyOf(await getRawInput()), rawKeyFromHeaders(ctx.headers));
    ctx.resHeaders.set(IDEMPOTENCY_KEY_HEADER, ctx.keyed.key);
    if (ctx.faultsEnabled) {
      const parsed = parseFault(ctx.headers.get(FAULT_HEADER));
      if ("error" in parsed) throw new DomainError("INVALID_INPUT", parsed.error);
      ctx.keyed.fault = parsed.fault;
    }
    return next();
  });

type KeyedContext = Context & { session: NonNullable<Context["session"]>; keyed: KeyedState };

/**
 * Runs a keyed mutation through the idempotency engine and shapes the HTTP answer of docs/protocol.md section 3:
 * 201 first execution (or resumed), 200 + Idempotent-Replayed on replay.
 */
export async function executeKeyed<I, O>(
  ctx: KeyedContext,
  op: IdempotentOperation<I>,
  input: I,
  output: z.ZodType<O>,
  options: { confirmDuplicate?: boolean } = {},
): Promise<O> {
  const key = ctx.keyed.key;
  if (!key) throw new DomainError("KEY_MISSING", "an idempotency key is required");
  let result: IdempotentResult;
  try {
    result = await runIdempotent(ctx.db, ctx.engine, op, {
      userId: ctx.session.userId,
      key,
      input,
      confirmDuplicate: options.confirmDuplicate,
      ctx: { fault: ctx.keyed.fault },
    });
  } catch (error) {
    if (error instanceof SimulatedCrash) {
      throw new DomainError("SIMULATED_CRASH", "the server died mid-request (simulated); retry with the same key", {
        cause: error,
      });
    }
    throw error;
  }
  ctx.keyed.result = result;
  const replayed = result.outcome === "REPLAYED";
  if (replayed) ctx.resHeaders.set(REPLAYED_HEADER, "true");
  // A final refusal (a poison record) is replayed as the same error, with its own status.
  const refusal = storedRefusal(result, result.recordId);
  if (refusal) throw refusal;
  ctx.response.status = replayed ? 200 : result.status;
  if (ctx.keyed.fault?.kind === "lose-response") {
    // Committed and stored; only this answer is "lost". A retry with the same key gets the replay.
    ctx.resHeaders.delete(REPLAYED_HEADER);
    throw new DomainError("RESPONSE_LOST", "the response was lost on the way (simulated); retry with the same key");
  }
  const body = result.body;
  return output.parse(typeof body === "object" && body !== null && !Array.isArray(body) ? { ...body, replayed } : body);
}
