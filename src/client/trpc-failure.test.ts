import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { networkError, serverError } from "./trpc-error.fixture";
import { errorField, failureOf } from "./trpc-failure";

describe("failureOf", () => {
  it("reads status, reason and Retry-After of a server answer", () => {
    expect(failureOf(serverError(409, "REQUEST_IN_PROGRESS", { retryAfterMs: 400 }, "1"))).toEqual({
      kind: "http",
      status: 409,
      reason: "REQUEST_IN_PROGRESS",
      retryAfterSeconds: 1,
    });
  });

  it("falls back to data.retryAfterMs when the header is missing", () => {
    const failure = failureOf(serverError(503, "TRANSIENT_FAILURE", { retryAfterMs: 1500 }));
    expect(failure).toMatchObject({ status: 503, retryAfterSeconds: 2 });
  });

  it("treats a call without any answer as a network failure", () => {
    expect(failureOf(networkError())).toEqual({ kind: "network" });
    expect(failureOf(new TypeError("Failed to fetch"))).toEqual({ kind: "network" });
  });

  it("uses the response status when the body was not tRPC's (e.g. a proxy's HTML 502)", () => {
    const error = TRPCClientError.from(new SyntaxError("Unexpected token <"), {
      meta: { response: new Response("<html>", { status: 502 }) },
    });
    expect(failureOf(error)).toEqual({ kind: "http", status: 502, reason: null, retryAfterSeconds: null });
  });

  it("exposes extra data fields such as the earlier orderId", () => {
    expect(errorField(serverError(409, "DUPLICATE_INTENT_SUSPECTED", { orderId: "o1" }), "orderId")).toBe("o1");
    expect(errorField(new Error("x"), "orderId")).toBeNull();
  });
});
