import { describe, expect, it, vi } from "vitest";
import { InFlight } from "./in-flight";

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe("InFlight", () => {
  it("returns the same promise to a second submit of the same intent and sends nothing", async () => {
    const inFlight = new InFlight<string>();
    const d = deferred<string>();
    const send = vi.fn(() => d.promise);
    const first = inFlight.run("intent", send);
    const second = inFlight.run("intent", send);
    const burst = Array.from({ length: 10 }, () => inFlight.run("intent", send));
    expect(second.promise).toBe(first.promise);
    expect(burst.every((b) => b.promise === first.promise && b.deduped)).toBe(true);
    expect(first.deduped).toBe(false);
    expect(second.deduped).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
    d.resolve("order-1");
    await expect(second.promise).resolves.toBe("order-1");
  });

  it("lets different intents run side by side", () => {
    const inFlight = new InFlight<string>();
    const send = vi.fn(() => new Promise<string>(() => {}));
    inFlight.run("a", send);
    expect(inFlight.run("b", send).deduped).toBe(false);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("frees the slot once settled, also after a failure", async () => {
    const inFlight = new InFlight<string>();
    const d = deferred<string>();
    const first = inFlight.run("intent", () => d.promise);
    expect(inFlight.isPending("intent")).toBe(true);
    d.reject(new Error("offline"));
    await expect(first.promise).rejects.toThrow("offline");
    expect(inFlight.isPending("intent")).toBe(false);
    const again = inFlight.run("intent", () => Promise.resolve("ok"));
    expect(again.deduped).toBe(false);
    await expect(again.promise).resolves.toBe("ok");
  });
});
