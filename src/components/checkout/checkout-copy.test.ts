import { describe, expect, it } from "vitest";
import { otherEndedText, retryText, waitingForOtherText, watchEndedText, watchingText } from "./checkout-copy";

const notice = (keyed: boolean, status: number) => ({
  failedAttempt: 1,
  nextAttempt: 2,
  maxAttempts: 5,
  failure: { kind: "http" as const, status, reason: null, retryAfterSeconds: null },
  waitMs: 100,
  keyed,
});
const key = "12345678-aaaa-4bbb-8ccc-1234567890ab";

describe("checkout copy", () => {
  it("calls a keyed retry safe and a keyless one what it is", () => {
    expect(retryText(notice(true, 504))).toBe("Connection lost, retrying safely (attempt 2 of 5)…");
    const unsafe = retryText(notice(false, 504));
    expect(unsafe).toContain("WITHOUT an idempotency key");
    expect(unsafe).toContain("can charge your card twice");
    expect(unsafe).not.toContain("safely");
  });

  it("says the page resumes the same payment on a reload, and that nothing is sent again", () => {
    const text = watchingText({ kind: "reload" }, key);
    expect(text).toMatch(/^Resuming your earlier payment safely with the same key \(key 12345678…\)/);
    expect(text).toContain("Nothing is sent again.");
  });

  it("tells 'never reached the shop' apart from 'no answer yet', in plain numbers", () => {
    expect(watchEndedText({ kind: "not-recorded" }, key)).toContain("nothing was charged");
    expect(watchEndedText({ kind: "gave-up", waitedMs: 61_000 }, key)).toContain("after 1 minute.");
    expect(watchEndedText({ kind: "gave-up", waitedMs: 180_000 }, key)).toContain("after 3 minutes.");
  });

  it("says that a tab waiting for another tab's payment sends nothing", () => {
    expect(waitingForOtherText(key)).toContain("nothing is sent from here");
    expect(otherEndedText({ kind: "not-recorded" }, key)).toContain("nothing was charged for it");
  });
});
