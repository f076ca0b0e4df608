import { middleware } from "@/server/api/trpc";
import { DomainError } from "@/server/errors";
import { HEADERS } from "@/shared/names";
import { currentFault, withFault } from "./fault-scope";
import { FAULT_HEADER, parseFault, SimulatedCrash } from "./faults";

/**
 * The demo's X-Fault around a mutation (only with DEMO_FAULTS=on; otherwise the header is ignored): a
 * malformed one is a 400, a valid one is in scope for the engine's hooks and the provider wrapper while
 * the call runs, and the two faults that concern the answer are applied to it here.
 */
export const demoFaults = middleware(async ({ ctx, next }) => {
  if (!ctx.faultsEnabled) return next();
  const parsed = parseFault(ctx.headers.get(FAULT_HEADER));
  if ("error" in parsed) throw new DomainError("INVALID_INPUT", parsed.error);
  const { fault } = parsed;
  const result = await withFault(fault, () => next());
  if (!result.ok && result.error.cause instanceof SimulatedCrash) {
    throw new DomainError("SIMULATED_CRASH", "the server died mid-request (simulated); retry with the same key", {
      cause: result.error.cause,
    });
  }
  const lost = fault?.kind === "lose-response" ? responseLost() : null;
  if (result.ok && lost) {
    // Committed and stored; only this answer is "lost". A retry with the same key gets the replay.
    ctx.resHeaders.delete(HEADERS.replayed);
    throw lost;
  }
  return result;
});

const responseLost = () =>
  new DomainError("RESPONSE_LOST", "the response was lost on the way (simulated); retry with the same key");

/** Inside a request's fault scope: the error its successful answer will be replaced with (lose-response), for its event. */
export const lostAnswer = (): DomainError | null => (currentFault()?.kind === "lose-response" ? responseLost() : null);
