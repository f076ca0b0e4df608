/** What checkout.status answers about one of the shopper's keys. */
export type KeyStatusView =
  | { state: "unknown" }
  | { state: "in_progress"; recoveryPoint: string; leaseEndsAt: string | null }
  | { state: "final"; status: number; body: unknown };

/**
 * How long the page keeps asking. A crashed attempt is finished by a retry or the recovery worker once its
 * lease ends (30 s in production), so the cap leaves room for several leases before the page gives up.
 */
export const WATCH_POLICY = { firstMs: 1_000, factor: 1.5, capMs: 5_000, maxWaitMs: 180_000 } as const;

export type WatchResult =
  | { kind: "final"; status: number; body: unknown }
  /** No record of the key: the request never reached the shop (or was refused before writing anything). */
  | { kind: "unknown" }
  | { kind: "gave-up"; waitedMs: number }
  | { kind: "stopped" };

export type WatchDeps = {
  status: () => Promise<KeyStatusView>;
  /** Resolves after ms, or early once the signal aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  now: () => number;
  signal: AbortSignal;
  onPoll?: (status: KeyStatusView | null) => void;
};

/**
 * Asks checkout.status until the key is final, with a bounded backoff (1 s growing to 5 s). A failed
 * status call (offline, server restarting) is not an answer: it just waits and asks again. Stops when
 * the answer is final or unknown, when the signal aborts (the page went away), or after maxWaitMs.
 */
export async function watchKey(deps: WatchDeps, policy: typeof WATCH_POLICY = WATCH_POLICY): Promise<WatchResult> {
  const started = deps.now();
  let wait: number = policy.firstMs;
  for (;;) {
    if (deps.signal.aborted) return { kind: "stopped" };
    const answer = await deps.status().catch(() => null);
    if (deps.signal.aborted) return { kind: "stopped" };
    deps.onPoll?.(answer);
    if (answer?.state === "final") return { kind: "final", status: answer.status, body: answer.body };
    if (answer?.state === "unknown") return { kind: "unknown" };
    const waited = deps.now() - started;
    if (waited + wait > policy.maxWaitMs) return { kind: "gave-up", waitedMs: waited };
    await deps.sleep(wait, deps.signal);
    wait = Math.min(policy.capMs, Math.round(wait * policy.factor));
  }
}

/** setTimeout that an AbortSignal cuts short. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
