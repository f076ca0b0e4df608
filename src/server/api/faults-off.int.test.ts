import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { providers } from "@/test/test-db";

/** Without DEMO_FAULTS=on (the production default) the X-Fault header is ignored, even a malformed one. */
describe.each(providers)("faults switched off on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(provider, { faultsEnabled: false });
  });
  afterAll(() => h?.close());

  it.each(["lose-response", "crash-after-charge", "db-busy", "provider-timeout-after-charge", "delay:nonsense"])(
    "X-Fault: %s changes nothing",
    async (fault) => {
      const cookie = await h.shopper();
      const res = await placeOrder(h, cookie, newKey(), order([{ productId: "ceramic-mug", quantity: 1 }]), {
        "X-Fault": fault,
      });
      expect(res.status).toBe(201);
      expect(res.data.status).toBe("PAID");
    },
  );
});
