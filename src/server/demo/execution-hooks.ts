import { setTimeout as sleep } from "node:timers/promises";
import { OrderPoint } from "@/server/checkout/recovery-points";
import { TransientError } from "@/server/idempotency/transient";
import type { ExecutionHooks } from "@/server/idempotency/types";
import { currentFault } from "./fault-scope";
import { SimulatedCrash } from "./faults";

/** The request's X-Fault, played at the engine's generic hooks. */
export const demoExecutionHooks: ExecutionHooks = {
  async beforeRun() {
    const fault = currentFault();
    // A slow attempt holds its lease (twins get 409); a busy database fails transiently.
    if (fault?.kind === "delay") await sleep(fault.ms);
    if (fault?.kind === "db-busy") throw new TransientError("simulated fault: database busy");
  },
  async beforeAdvance(next) {
    // The card is charged, and the process dies before the charge is recorded.
    if (next === OrderPoint.PAYMENT_CHARGED && currentFault()?.kind === "crash-after-charge") {
      throw new SimulatedCrash("right after the provider charge");
    }
  },
};
