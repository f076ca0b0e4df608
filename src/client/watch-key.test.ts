import { describe, expect, it } from "vitest";
import { type KeyStatusView, WATCH_POLICY, watchKey } from "./watch-key";

const inProgress: KeyStatusView = { state: "in_progress", recoveryPoint: "ORDER_CREATED", leaseEndsAt: null };

/** A fake clock that sleeping advances, and a scripted checkout.status. */
function harness(answers: (KeyStatusView | Error)[], repeatLast = false) {
  let clock = 0;
  const waits: number[] = [];
  const controller = new AbortController();
  let calls = 0;
  const deps = {
    status: async () => {
      calls++;
      const answer = (repeatLast && answers.length === 1 ? answers[0] : answers.shift()) ?? new Error("none left");
      if (answer instanceof Error) throw answer;
      return answer;
    },
    sleep: async (ms: number) => {
      waits.push(ms);
      clock += ms;
    },
    now: () => clock,
    signal: controller.signal,
  };
  return { deps, waits, controller, calls: () => calls };
}

describe("watchKey", () => {
  it("polls with a backoff growing from 1 s to a 5 s cap until the answer is final", async () => {
    const answers: KeyStatusView[] = [...Array.from({ length: 6 }, () => inProgress)];
    const h = harness([...answers, { state: "final", status: 201, body: { orderId: "o1" } }]);
    expect(await watchKey(h.deps)).toEqual({ kind: "final", status: 201, body: { orderId: "o1" } });
    expect(h.waits).toEqual([1000, 1500, 2250, 3375, 5000, 5000]);
  });

  it("keeps asking through failed status calls (offline, restarting server)", async () => {
    const h = harness([new Error("offline"), new Error("502"), { state: "final", status: 201, body: null }]);
    expect((await watchKey(h.deps)).kind).toBe("final");
    expect(h.calls()).toBe(3);
  });

  it("stops at once on unknown: nothing was recorded for the key", async () => {
    const h = harness([{ state: "unknown" }]);
    expect(await watchKey(h.deps)).toEqual({ kind: "unknown" });
    expect(h.waits).toEqual([]);
  });

  it("gives up after the cap with how long it waited, never waiting past it", async () => {
    const h = harness([inProgress], true);
    const result = await watchKey(h.deps);
    expect(result.kind).toBe("gave-up");
    const total = h.waits.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(WATCH_POLICY.maxWaitMs);
    expect(total).toBeGreaterThan(WATCH_POLICY.maxWaitMs - WATCH_POLICY.capMs);
    expect(result).toEqual({ kind: "gave-up", waitedMs: total });
  });

  it("stops when aborted while waiting, without asking again", async () => {
    const h = harness([inProgress], true);
    h.deps.sleep = async () => {
      h.controller.abort();
    };
    expect(await watchKey(h.deps)).toEqual({ kind: "stopped" });
    expect(h.calls()).toBe(1);
  });
});
