import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors";
import { createRateLimiter } from "./report-limiter";

const refusal = (fn: () => void): DomainError | null => {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
};

describe("client report rate limiter", () => {
  it("allows the limit per window, then refuses with the time left until the window ends", () => {
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 3; i++) expect(refusal(() => limiter.hit("a", 1_000))).toBeNull();
    const refused = refusal(() => limiter.hit("a", 21_000));
    expect(refused?.reason).toBe("RATE_LIMITED");
    expect(refused?.retryAfterMs).toBe(40_000);
    expect(refusal(() => limiter.hit("b", 21_000))).toBeNull();
    expect(refusal(() => limiter.hit("a", 61_000))).toBeNull();
  });

  it("holds at most maxKeys windows: the least recently seen key is forgotten", () => {
    const limiter = createRateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 2 });
    limiter.hit("a", 0);
    expect(refusal(() => limiter.hit("a", 1))?.reason).toBe("RATE_LIMITED");
    limiter.hit("b", 2);
    limiter.hit("c", 3); // evicts "a"
    expect(refusal(() => limiter.hit("a", 4))).toBeNull();
    expect(refusal(() => limiter.hit("c", 5))?.reason).toBe("RATE_LIMITED");
  });
});
