import { z } from "zod";
import type { ClaimedJob, JobFault } from "@/server/jobs/types";
import { JOB_FAULT_NAMES } from "@/shared/names";

const JOB_FAULTS = JOB_FAULT_NAMES satisfies readonly JobFault[];

export const jobFaultInput = z
  .object({
    /** null disarms. */
    fault: z.enum(JOB_FAULTS).nullable(),
    deliveries: z.number().int().min(1).max(20).default(1),
  })
  .strict();

export const redeliverInput = z.object({ limit: z.number().int().min(1).max(100).default(5) }).strict();

export type ArmedJobFault = { fault: JobFault; remaining: number };

/**
 * A fault armed from the dashboard (DEMO_FAULTS=on) for the next deliveries of this process's in-app job
 * worker. Per process, like a kill switch on one machine: a separate `npm run worker` takes its faults
 * from its own flags.
 */
export class JobFaultSwitch {
  private current: ArmedJobFault | null = null;

  /** Sets (does not add to) the armed fault, so pressing the button twice arms it once; null disarms. */
  arm(fault: JobFault | null, deliveries = 1): ArmedJobFault | null {
    this.current = fault && deliveries > 0 ? { fault, remaining: deliveries } : null;
    return this.armed();
  }

  armed(): ArmedJobFault | null {
    return this.current ? { ...this.current } : null;
  }

  /** The worker's per-delivery hook: hands out the armed fault once per delivery until it is used up. */
  readonly take = (_job: ClaimedJob): JobFault | null => {
    if (!this.current) return null;
    const { fault } = this.current;
    this.current.remaining -= 1;
    if (this.current.remaining <= 0) this.current = null;
    return fault;
  };
}

// Next bundles the start-up hook (where the in-app worker runs) and the route handlers (where the
// dashboard arms the fault) separately, so the one switch of the process lives on globalThis.
const cache: typeof globalThis & { __jobFaultSwitch?: JobFaultSwitch } = globalThis;
export const jobFaultSwitch = (): JobFaultSwitch => {
  cache.__jobFaultSwitch ??= new JobFaultSwitch();
  return cache.__jobFaultSwitch;
};
