import { setTimeout as sleep } from "node:timers/promises";
import { backoffMs, type Failure, isRetryable, parseRetryAfter } from "../../src/client/retry-policy";
import { HEADERS } from "../../src/shared/names";
import { REASON } from "../../src/shared/reasons";
import { type Answer, dataOf, isReplay, reasonOf, send, type Target } from "./http";

/**
 * The browser's retry rules (src/client/retry-policy.ts: what is retryable, the backoff, Retry-After), with the
 * give-up bound configurable: the bench keeps it close to the browser's, the chaos test makes it generous so
 * clients outlive a restart.
 */
export type RetryPolicy = { maxAttempts: number; deadlineMs: number };

export const defaultPolicy: RetryPolicy = { maxAttempts: 10, deadlineMs: 60_000 };

export type AttemptKind =
  | "executed"
  | "replayed"
  | "in-progress"
  | "transient"
  | "crashed"
  | "lost"
  | "network"
  | "refused";

type AttemptLog = {
  kind: AttemptKind;
  status: number | null;
  reason: string | null;
  ms: number;
  target: string;
};

export type CallOutcome = {
  /** ok: a 2xx answer; refused: a final non-retryable answer; gave-up: the retry budget ran out. */
  kind: "ok" | "refused" | "gave-up";
  status: number | null;
  reason: string | null;
  data: Record<string, unknown> | null;
  attempts: AttemptLog[];
  ms: number;
};

function classify(answer: Answer): AttemptKind {
  if (answer.status >= 200 && answer.status < 300) return isReplay(answer) ? "replayed" : "executed";
  if (answer.status === 409 && reasonOf(answer) === REASON.REQUEST_IN_PROGRESS) return "in-progress";
  if (answer.status === 502) return "crashed";
  if (answer.status === 503) return "transient";
  if (answer.status === 504) return "lost";
  return "refused";
}

/** An answer as the browser's retry policy sees it. */
function failureOf(answer: Answer): Failure {
  const value = answer.headers[HEADERS.retryAfter.toLowerCase()];
  const retryAfter = (Array.isArray(value) ? value[0] : value) ?? null;
  return {
    kind: "http",
    status: answer.status,
    reason: reasonOf(answer),
    retryAfterSeconds: parseRetryAfter(retryAfter),
  };
}

export type KeyedCall = {
  /** Picks the instance for each attempt (a load balancer in front of the instances). */
  pick: () => Target;
  path: string;
  cookie: string;
  body: unknown;
  /** X-Fault of the first attempt only: the fault hits one attempt, the retries find a healthy server. */
  fault?: string;
  policy: RetryPolicy;
};

/** Sends one keyed mutation until a final answer, retrying like the real client. */
export async function callWithRetries(call: KeyedCall): Promise<CallOutcome> {
  const started = performance.now();
  const attempts: AttemptLog[] = [];
  for (let attempt = 1; ; attempt++) {
    const target = call.pick();
    const headers: Record<string, string> = { cookie: call.cookie, [HEADERS.retryAttempt]: String(attempt) };
    if (attempt === 1 && call.fault) headers[HEADERS.fault] = call.fault;
    let failure: Failure = { kind: "network" };
    const t0 = performance.now();
    try {
      const answer = await send(target, { method: "POST", path: call.path, headers, body: call.body });
      const kind = classify(answer);
      const reason = reasonOf(answer);
      attempts.push({ kind, status: answer.status, reason, ms: answer.ms, target: target.name });
      failure = failureOf(answer);
      if (kind === "executed" || kind === "replayed" || !isRetryable(failure)) {
        return {
          kind: kind === "refused" ? "refused" : "ok",
          status: answer.status,
          reason,
          data: dataOf(answer),
          attempts,
          ms: performance.now() - started,
        };
      }
    } catch (error) {
      const reason = error instanceof Error ? ("code" in error ? String(error.code) : error.name) : "error";
      attempts.push({ kind: "network", status: null, reason, ms: performance.now() - t0, target: target.name });
    }
    const wait = backoffMs(attempt, Math.random, failure.kind === "http" ? failure.retryAfterSeconds : null);
    const elapsed = performance.now() - started;
    if (attempt >= call.policy.maxAttempts || elapsed + wait > call.policy.deadlineMs) {
      const last = attempts.at(-1);
      return {
        kind: "gave-up",
        status: last?.status ?? null,
        reason: last?.reason ?? null,
        data: null,
        attempts,
        ms: elapsed,
      };
    }
    await sleep(wait);
  }
}
