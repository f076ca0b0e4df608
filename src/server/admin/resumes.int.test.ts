import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recoverOnce } from "@/server/recovery-worker";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { call } from "@/test/http-client";
import { providers } from "@/test/test-db";
import { stats } from "./stats";

/**
 * The dashboard's takeover and resume figures against what really happened: crashed attempts taken over
 * and transient failures resumed, by a client retry or by the recovery worker, and an unsafe call.
 */
describe.each(providers)("lease takeovers, transient resumes and unsafe calls on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(provider, { engine: { leaseMs: 300 } });
  });
  afterAll(() => h?.close());

  const outcomesOf = async (key: string) =>
    (
      await h.db.requestEvent.findMany({ where: { key }, orderBy: { createdAt: "asc" }, select: { outcome: true } })
    ).map((e) => e.outcome);

  it("counts each kind apart, as the events record them", async () => {
    const cookie = await h.shopper("resumes");
    const cart = (quantity: number) => order([{ productId: "ceramic-mug", quantity }]);

    // A transient failure resumed by the client's retry, and one resumed by the recovery worker.
    const byClient = newKey();
    expect((await placeOrder(h, cookie, byClient, cart(1), { "X-Fault": "db-busy" })).status).toBe(503);
    expect((await placeOrder(h, cookie, byClient, cart(1))).status).toBe(201);
    const byWorker = newKey();
    expect(
      (await placeOrder(h, cookie, byWorker, cart(2), { "X-Fault": "provider-timeout-after-charge" })).status,
    ).toBe(503);
    expect((await recoverOnce(h.services)).recovered).toBe(1);

    // A crash taken over by the client's retry once the lease lapsed, and one by the recovery worker.
    const crashClient = newKey();
    expect((await placeOrder(h, cookie, crashClient, cart(3), { "X-Fault": "crash-after-charge" })).status).toBe(502);
    await vi.waitFor(async () => expect((await placeOrder(h, cookie, crashClient, cart(3))).status).toBe(201), {
      timeout: 10_000,
      interval: 100,
    });
    const crashWorker = newKey();
    expect((await placeOrder(h, cookie, crashWorker, cart(4), { "X-Fault": "crash-after-charge" })).status).toBe(502);
    await vi.waitFor(async () => expect((await recoverOnce(h.services)).recovered).toBe(1), {
      timeout: 10_000,
      interval: 100,
    });

    // And one call of the unsafe baseline, which has no key.
    expect((await call(h.url, "checkout.placeOrderUnsafe", cart(5), { cookie })).status).toBe(201);

    expect(await outcomesOf(byClient)).toEqual(["TRANSIENT_FAILURE", "RESUMED"]);
    expect(await outcomesOf(byWorker)).toEqual(["TRANSIENT_FAILURE", "RESUMED"]);
    expect((await outcomesOf(crashClient)).at(-1)).toBe("RECOVERED");
    expect(await outcomesOf(crashWorker)).toEqual(["FAILED", "RECOVERED"]);

    const s = await stats(h.db, { window: "5m" });
    const serverSide = await h.db.requestEvent.count({
      where: { outcome: { notIn: ["CLIENT_DEDUPED", "CLIENT_RETRY", "UNSAFE_EXECUTED"] } },
    });
    expect(s).toMatchObject({ leaseTakeovers: 2, transientResumes: 2, unsafeCalls: 1, keyedRequests: serverSide });
    expect(s.outcomes.UNSAFE_EXECUTED).toBe(1);
  });
});
