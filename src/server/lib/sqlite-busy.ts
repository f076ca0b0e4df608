import { setTimeout as sleep } from "node:timers/promises";
import { type Backoff, backoffMs } from "@/shared/backoff";

/**
 * better-sqlite3 waits for another connection's lock inside the call, which blocks the process's event
 * loop for as long as it waits. The driver's own (synchronous) busy timeout is therefore kept this short;
 * a longer wait happens between attempts, off the event loop (retryWhileBusy).
 */
export const SYNC_BUSY_WAIT_MS = 5;

/** Backoff between attempts: doubling from 2 ms up to 50 ms, each drawn in [half, whole] (equal jitter). */
const BUSY_BACKOFF: Backoff = { baseMs: 2, capMs: 50, jitter: "equal" };

/**
 * SQLITE_BUSY (and its extended codes, e.g. SQLITE_BUSY_SNAPSHOT) as the Prisma driver adapter reports it:
 * the statement found the database locked by another connection and did nothing.
 */
export function isBusy(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("cause" in error)) return false;
  const cause = error.cause;
  if (typeof cause !== "object" || cause === null) return false;
  const code = "originalCode" in cause ? String(cause.originalCode) : "";
  return code.startsWith("SQLITE_BUSY");
}

/**
 * Runs attempt until it does not fail with SQLITE_BUSY or the deadline (a Date.now() time) has passed;
 * the last failure is then thrown as it is (the transient path: 503 TRANSIENT_FAILURE with Retry-After).
 * At least one attempt is made. Only for attempts that a busy failure leaves without effect: a statement
 * outside a transaction, or BEGIN.
 */
export async function retryWhileBusy<T>(attempt: () => Promise<T>, deadline: number): Promise<T> {
  for (let failed = 1; ; failed++) {
    try {
      return await attempt();
    } catch (error) {
      const left = deadline - Date.now();
      if (!isBusy(error) || left <= 0) throw error;
      await sleep(Math.min(left, backoffMs(failed, BUSY_BACKOFF)));
    }
  }
}
