import { setTimeout as sleep } from "node:timers/promises";
import { CHARGE_EFFECT } from "@/server/checkout/recovery-points";
import { TransientError } from "@/server/idempotency/transient";
import type { ExecutionHooks } from "@/server/idempotency/types";
import { currentFault } from "./fault-scope";
import { SimulatedCrash } from "./faults";

/** The request's X-Fault, played at the engine's generic hooks. */
export const demoExecutionHooks: ExecutionHooks = {
  async beforeRun({ own }) {
    const fault = currentFault();
    if (fault?.kind !== "delay" && fault?.kind !== "db-busy") return;
    // The attempt is seen in progress first: a slow attempt holds its lease (twins get 409); a busy
    // database fails transiently with the record at STARTED, its lease given back.
    await own();
    if (fault.kind === "delay") await sleep(fault.ms);
    else throw new TransientError("simulated fault: database busy");
  },
  async afterEffect(effect) {
    // The card is charged, and the process dies before the charge is recorded.
    if (effect === CHARGE_EFFECT && currentFault()?.kind === "crash-after-charge") {
      throw new SimulatedCrash("right after the provider charge");
    }
  },
};
