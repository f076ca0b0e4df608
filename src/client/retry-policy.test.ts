import { describe, expect, it, vi } from "vitest";
import { backoffMs, type Failure, isRetryable, parseRetryAfter, RetriesExhausted, withRetries } from "./retry-policy";

const http = (status: number, reason: string | null = null, retryAfterSeconds: number | null = null): Failure => ({
  kind: "http",
  status,
  reason,
  retryAfterSeconds,
});

class Failed extends Error {
  constructor(readonly failure: Failure) {
    super("failed");
  }
}
const classify = (e: unknown): Failure => (e instanceof Failed ? e.failure : { kind: "network" });

/** A fake clock: sleeps are recorded, never waited. */
const fakeTime = () => {
  const slept: number[] = [];
  return { slept, sleep: async (ms: number) => void slept.push(ms) };
};

describe("isRetryable (docs/protocol.md section 2, layer 3)", () => {
  it.each<[string, Failure]>([
    ["network error", { kind: "network" }],
    ["409 REQUEST_IN_PROGRESS", http(409, "REQUEST_IN_PROGRESS")],
    ["502 (a crash seen through a proxy)", http(502, "SIMULATED_CRASH")],
    ["503", http(503, "TRANSIENT_FAILURE")],
    ["504", http(504, "RESPONSE_LOST")],
  ])("retries %s", (_, failure) => expect(isRetryable(failure)).toBe(true));

  it.each<[string, Failure]>([
    ["400", http(400, "KEY_INVALID")],
    ["401", http(401, "UNAUTHENTICATED")],
    ["403", http(403, "FORBIDDEN")],
    ["404", http(404, "NOT_FOUND")],
    ["422", http(422, "KEY_REUSED_WITH_DIFFERENT_REQUEST")],
    ["409 DUPLICATE_INTENT_SUSPECTED", http(409, "DUPLICATE_INTENT_SUSPECTED")],
    ["409 INSUFFICIENT_STOCK", http(409, "INSUFFICIENT_STOCK")],
    ["409 without a reason", http(409)],
    ["500", http(500, "INTERNAL")],
  ])("never retries %s", (_, failure) => expect(isRetryable(failure)).toBe(false));
});

describe("backoffMs", () => {
  it("is full jitter under base 250 ms * 2^(n-1), capped at 5 s", () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, top))).toEqual([249, 499, 999, 1999, 3999, 4999, 4999]);
    expect(backoffMs(3, () => 0.5)).toBe(500);
    expect(backoffMs(4, () => 0)).toBe(0);
  });

  it("honours Retry-After when it is larger, and only then", () => {
    expect(backoffMs(1, () => 0.5, 2)).toBe(2000);
    expect(backoffMs(6, () => 0.999_999, 1)).toBe(4999);
  });
});

describe("parseRetryAfter", () => {
  it("reads delta seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
    const now = Date.parse("2030-01-01T00:00:00Z");
    expect(parseRetryAfter("Tue, 01 Jan 2030 00:00:05 GMT", now)).toBe(5);
  });
});

describe("withRetries", () => {
  it("retries with the attempt number and the same call until it succeeds", async () => {
    const time = fakeTime();
    const attempts: number[] = [];
    const send = vi.fn(async (attempt: number) => {
      attempts.push(attempt);
      if (attempt === 1) throw new TypeError("Failed to fetch");
      if (attempt === 2) throw new Failed(http(409, "REQUEST_IN_PROGRESS", 1));
      if (attempt === 3) throw new Failed(http(503, "TRANSIENT_FAILURE", 1));
      return "ok";
    });
    const notices: number[] = [];
    const result = await withRetries(send, {
      classify,
      random: () => 0.5,
      sleep: time.sleep,
      onRetry: (n) => notices.push(n.nextAttempt),
    });
    expect(result).toBe("ok");
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(notices).toEqual([2, 3, 4]);
    expect(time.slept).toEqual([125, 1000, 1000]);
  });

  it("stops after 5 attempts with RetriesExhausted carrying the last failure", async () => {
    const time = fakeTime();
    const send = vi.fn(async () => {
      throw new Failed(http(504, "RESPONSE_LOST"));
    });
    const error = await withRetries(send, { classify, random: () => 1 - Number.EPSILON, sleep: time.sleep }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RetriesExhausted);
    expect((error as RetriesExhausted).attempts).toBe(5);
    expect((error as RetriesExhausted).failure).toEqual(http(504, "RESPONSE_LOST"));
    expect(send).toHaveBeenCalledTimes(5);
    expect(time.slept).toEqual([249, 499, 999, 1999]);
  });

  it.each([400, 401, 403, 404, 422])("gives up at once on %i and rethrows it", async (status) => {
    const time = fakeTime();
    const refusal = new Failed(http(status));
    const send = vi.fn(async () => {
      throw refusal;
    });
    await expect(withRetries(send, { classify, random: () => 0, sleep: time.sleep })).rejects.toBe(refusal);
    expect(send).toHaveBeenCalledTimes(1);
    expect(time.slept).toEqual([]);
  });

  it("does not retry a suspected duplicate: only the shopper may confirm it", async () => {
    const send = vi.fn(async () => {
      throw new Failed(http(409, "DUPLICATE_INTENT_SUSPECTED"));
    });
    await expect(withRetries(send, { classify, random: () => 0, sleep: fakeTime().sleep })).rejects.toBeInstanceOf(
      Failed,
    );
    expect(send).toHaveBeenCalledTimes(1);
  });
});
