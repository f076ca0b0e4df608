import { describe, expect, it } from "vitest";
import { type StoryEvent, storySteps } from "./story-steps";

const at = (s: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, s));
const event = (s: number, e: Partial<StoryEvent> & Pick<StoryEvent, "outcome">): StoryEvent => ({
  createdAt: at(s),
  httpStatus: 201,
  reason: null,
  attempt: 1,
  ...e,
});

describe("storySteps", () => {
  it("orders the steps by time and says who acted", () => {
    const steps = storySteps([
      event(3, { outcome: "RECOVERED", attempt: 0, reason: "RECOVERY_WORKER" }),
      event(1, { outcome: "FAILED", httpStatus: 502, reason: "SIMULATED_CRASH" }),
      event(2, { outcome: "CLIENT_DEDUPED", httpStatus: 0 }),
    ]);
    expect(steps.map((s) => [s.outcome, s.by])).toEqual([
      ["crashed", "server"],
      ["click-absorbed", "browser"],
      ["recovered-by-worker", "recovery worker"],
    ]);
    expect(steps[1]?.httpStatus).toBeNull();
  });

  it("gives a retry the cause the browser reported for it, and a network error its own words", () => {
    const steps = storySteps([
      event(1, { outcome: "EXECUTED", httpStatus: 504, reason: "RESPONSE_LOST" }),
      event(2, { outcome: "CLIENT_RETRY", attempt: 2, httpStatus: 504 }),
      event(3, { outcome: "REPLAYED", attempt: 2, httpStatus: 200 }),
      event(4, { outcome: "CLIENT_RETRY", attempt: 3, httpStatus: 0 }),
      event(5, { outcome: "REPLAYED", attempt: 3, httpStatus: 200 }),
      event(6, { outcome: "REPLAYED", attempt: 4, httpStatus: 200 }),
    ]);
    expect(steps.map((s) => s.cause)).toEqual([
      null,
      "the previous attempt answered 504",
      "retry 2: the previous attempt answered 504",
      "the previous attempt got no answer (network error)",
      "retry 3: the previous attempt got no answer (network error)",
      "retry 4",
    ]);
    expect(steps[0]?.outcome).toBe("response-lost");
  });

  it("tells a retry's takeover and resumption apart from the worker's", () => {
    const outcomes = storySteps([
      event(1, { outcome: "RECOVERED", attempt: 2 }),
      event(2, { outcome: "RESUMED", attempt: 2 }),
      event(3, { outcome: "RESUMED", attempt: 0, reason: "RECOVERY_WORKER" }),
      event(4, { outcome: "IN_FLIGHT_CONFLICT", httpStatus: 409 }),
      event(5, { outcome: "FAILED", attempt: 0, reason: "RECOVERY_WORKER: boom" }),
      event(6, { outcome: "REJECTED", httpStatus: 409 }),
    ]).map((s) => s.outcome);
    expect(outcomes).toEqual(["taken-over", "resumed", "resumed-by-worker", "refused-in-flight", "failed", "refused"]);
  });
});
