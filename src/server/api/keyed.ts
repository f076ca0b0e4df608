import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z } from "zod";
import { demoFaults, lostAnswer } from "@/server/demo/middleware";
import { DomainError } from "@/server/errors";
import { outcomeForReason } from "@/server/events/outcome";
import { refusedDuplicateAmount } from "@/server/events/protected-amount";
import { recordEventIn } from "@/server/events/record-event";
import type { RequestEventInput } from "@/server/events/request-event";
import { runIdempotent } from "@/server/idempotency/engine";
import { resolveKey } from "@/server/idempotency/key";
import type { IdempotentOperation } from "@/server/idempotency/operation";
import { storedRefusal } from "@/server/idempotency/poison";
import type { IdempotentResult } from "@/server/idempotency/types";
import type { SqlClient } from "@/server/lib/sql";
import { observeUnrecorded } from "@/server/metrics/observe";
import type { KeyedRequests } from "@/server/services";
import { HEADERS } from "@/shared/names";
import type { Context } from "./context";
import { signedIn } from "./procedures";
import { baseProcedure, domainErrorOf, middleware, reasonOf } from "./trpc";

const IDEMPOTENCY_KEY_HEADER = HEADERS.idempotencyKey;
const RETRY_ATTEMPT_HEADER = HEADERS.retryAttempt;
const REPLAYED_HEADER = HEADERS.replayed;

/** Filled in as the call goes, read by recordKeyedRequest when it is over. */
type KeyedState = {
  rawKey: unknown;
  key: string | null;
  result: IdempotentResult | null;
  /**
   * The request's event as known when it ends well (a first execution writes it in its final phase); `lost`
   * is the error that will replace the answer after the commit (the demo's lose-response), if any.
   */
  eventOf: ((result: IdempotentResult, lost: DomainError | null) => RequestEventInput) | null;
};

const attemptHeader = z.coerce.number().int().min(1).max(1000).catch(1);
const rawKeyFromHeaders = (headers: Headers): string | null => headers.get(IDEMPOTENCY_KEY_HEADER);
const rawKeyOf = (raw: unknown): unknown =>
  typeof raw === "object" && raw !== null && "idempotencyKey" in raw ? raw.idempotencyKey : undefined;

const recordIdOf = (domain: DomainError | null): string | null =>
  typeof domain?.details.recordId === "string" ? domain.details.recordId : null;

/**
 * Writes exactly one RequestEvent per signed-in keyed request, whatever happened to it (even bad input): a
 * first execution's in the transaction that completes its record (see executeKeyed), every other one
 * (replays, refusals, bad input) through the batched writer, so none of them waits for a durable commit.
 * Anonymous requests are only counted in the metrics: anyone can send them, so they must not grow a table.
 */
const recordKeyedRequest = middleware(async ({ ctx, path, next, getRawInput }) => {
  const started = performance.now();
  const rawKey = rawKeyOf(await getRawInput().catch(() => undefined));
  const attempt = attemptHeader.parse(ctx.headers.get(RETRY_ATTEMPT_HEADER) ?? undefined);
  const state: KeyedState = { rawKey, key: typeof rawKey === "string" ? rawKey : null, result: null, eventOf: null };
  if (ctx.session) {
    const userId = ctx.session.userId;
    state.eventOf = (result, lost) => {
      return {
        userId,
        operation: path,
        key: state.key,
        recordId: result.recordId,
        outcome: result.outcome,
        httpStatus: lost ? lost.status : result.status,
        reason: lost ? lost.reason : null,
        attempt,
        latencyMs: performance.now() - started,
        amountCents: null,
      };
    };
  }
  const result = await next({ ctx: { keyed: state } });
  const error = result.ok ? null : result.error;
  const domain = error ? domainErrorOf(error) : null;
  const reason = error ? reasonOf(error) : null;
  if (!ctx.session) {
    observeUnrecorded(path, reason ?? "OK");
    return result;
  }
  // Written with the result (an answer replaced afterwards, like the demo's lost response, was foreseen there).
  if (state.result?.finalWritesDone) return result;
  const userId = ctx.session.userId;
  const key = state.key ?? rawKeyFromHeaders(ctx.headers);
  await ctx.events.record({
    userId,
    operation: path,
    key,
    recordId: state.result?.recordId ?? recordIdOf(domain),
    outcome: state.result?.outcome ?? (reason ? outcomeForReason(reason) : "EXECUTED"),
    httpStatus: domain ? domain.status : error ? getHTTPStatusCodeFromError(error) : (ctx.response.status ?? 200),
    reason,
    attempt,
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
 * The chain of every keyed mutation: unbatched, recorded, signed in (the same check as protectedProcedure),
 * the key resolved once from the input field or the Idempotency-Key header (bad keys are refused before the
 * input is parsed), then, in the demo only, the request's X-Fault.
 */
const keyedProcedure = baseProcedure
  .use(unbatched)
  .use(recordKeyedRequest)
  .use(signedIn)
  .use(({ ctx, next }) => {
    const key = resolveKey(ctx.keyed.rawKey, rawKeyFromHeaders(ctx.headers));
    ctx.keyed.key = key;
    ctx.resHeaders.set(IDEMPOTENCY_KEY_HEADER, key);
    return next({ ctx: { key } });
  })
  .use(demoFaults);

/**
 * A mutation that runs `operation` exactly once per (user, key) through the idempotency engine, answering
 * as docs/protocol.md section 3 says: 201 first execution (or resumed), 200 + Idempotent-Replayed on replay.
 * The resolver calls `ctx.runOnce(request)`; `output` is the declared (and checked) answer.
 */
export function idempotentProcedure<K extends keyof KeyedRequests, O extends z.ZodType<Record<string, unknown>>>(
  operation: K,
  output: O,
) {
  return keyedProcedure.output(output).use(({ ctx, next }) => {
    const op: IdempotentOperation<KeyedRequests[K]> = ctx.operations[operation];
    const runOnce = (request: KeyedRequests[K], options: { confirmDuplicate?: boolean } = {}): Promise<z.output<O>> =>
      executeKeyed(ctx, op, request, output, options);
    return next({ ctx: { runOnce } });
  });
}

type KeyedContext = Context & { session: NonNullable<Context["session"]>; keyed: KeyedState; key: string };

async function executeKeyed<I, O extends z.ZodType>(
  ctx: KeyedContext,
  op: IdempotentOperation<I>,
  input: I,
  output: O,
  options: { confirmDuplicate?: boolean },
): Promise<z.output<O>> {
  const eventOf = ctx.keyed.eventOf;
  // The demo's lose-response replaces this answer with a 504 once it is committed: the event says so.
  const lost = lostAnswer();
  const result = await runIdempotent(ctx.db, ctx.engine, op, {
    userId: ctx.session.userId,
    key: ctx.key,
    input,
    confirmDuplicate: options.confirmDuplicate,
    // The request's event commits with the result: no commit of its own, and never lost without it.
    ...(eventOf && { inFinalPhase: (tx: SqlClient, done: IdempotentResult) => recordEventIn(tx, eventOf(done, lost)) }),
  });
  ctx.keyed.result = result;
  const replayed = result.outcome === "REPLAYED";
  if (replayed) ctx.resHeaders.set(REPLAYED_HEADER, "true");
  // A final refusal (a poison record) is replayed as the same error, with its own status.
  const refusal = storedRefusal(result, result.recordId);
  if (refusal) throw refusal;
  ctx.response.status = replayed ? 200 : result.status;
  const body = result.body;
  return output.parse(typeof body === "object" && body !== null && !Array.isArray(body) ? { ...body, replayed } : body);
}
