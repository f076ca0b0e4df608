import { type PaymentProvider, ProviderTimeoutError } from "@/server/payments/provider";
import { currentFault } from "./fault-scope";

/** The provider client with the request's X-Fault applied: provider-timeout-after-charge charges, then times out. */
export const withProviderFaults = (inner: PaymentProvider): PaymentProvider => ({
  async charge(request) {
    const charge = await inner.charge(request);
    if (currentFault()?.kind === "provider-timeout-after-charge") {
      throw new ProviderTimeoutError("payment provider timed out after charging");
    }
    return charge;
  },
  retrieve: (providerKey) => inner.retrieve(providerKey),
});
