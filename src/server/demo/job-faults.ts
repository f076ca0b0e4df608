import { z } from "zod";
import type { Db } from "@/server/db";
import { ModelTimeoutError } from "@/server/jobs/external/model-client";
import type { DeliveryHooks } from "@/server/jobs/handler";
import { redeliver } from "@/server/jobs/lease";
import type { ClaimedJob } from "@/server/jobs/types";
import { JOB_FAULT_NAMES, type JobFaultName } from "@/shared/names";
import { SimulatedCrash } from "./faults";

/**
 * Faults for tests and the demo, chosen per delivery:
 * - `fail`: the delivery throws before its handler runs (a plain error: back-off, then DEAD after the last
 *   attempt);
 * - `model-timeout-after-billing`: the model call is billed, then the answer is lost (a timeout);
 * - `crash-before-save`: the external effect happened (e-mail sent, model billed), then the worker dies
 *   before recording it: the lease stays held until it expires, like a killed process's would.
 */
export type JobFault = JobFaultName;

/** The demo's job faults as the worker's generic delivery hooks; `faultOf` is asked once per delivery. */
export const jobFaultHooks =
  (faultOf: (job: ClaimedJob) => JobFault | null) =>
  (job: ClaimedJob): DeliveryHooks | null => {
    switch (faultOf(job)) {
      case "fail":
        return {
          async beforeHandle() {
            throw new Error("simulated fault: the job failed");
          },
        };
      case "model-timeout-after-billing":
        return {
          model: (client) => ({
            async complete(request) {
              await client.complete(request);
              throw new ModelTimeoutError();
            },
          }),
        };
      case "crash-before-save":
        return {
          async afterEffect() {
            throw new SimulatedCrash(`after the ${job.type} effect, before recording it`);
          },
        };
      default:
        return null;
    }
  };

export const jobFaultInput = z
  .object({
    /** null disarms. */
    fault: z.enum(JOB_FAULT_NAMES).nullable(),
    deliveries: z.number().int().min(1).max(20).default(1),
  })
  .strict();

export const redeliverInput = z.object({ limit: z.number().int().min(1).max(100).default(5) }).strict();

/**
 * Demo fault: put the `limit` newest succeeded jobs back, as a broker replaying a batch whose
 * acknowledgements it lost. Each is put back by the same conditional update as redeliver().
 */
export async function redeliverNewest(db: Db, limit: number): Promise<string[]> {
  const newest = await db.job.findMany({
    where: { state: "SUCCEEDED" },
    orderBy: { completedAt: "desc" },
    take: limit,
    select: { id: true },
  });
  const back = await Promise.all(newest.map(async ({ id }) => ((await redeliver(db, id)) ? id : null)));
  return back.filter((id): id is string => id !== null);
}

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

  /** Hands out the armed fault once per delivery until it is used up. */
  readonly take = (_job: ClaimedJob): JobFault | null => {
    if (!this.current) return null;
    const { fault } = this.current;
    this.current.remaining -= 1;
    if (this.current.remaining <= 0) this.current = null;
    return fault;
  };

  /** The in-app worker's delivery hooks: the armed fault, played at the worker's generic points. */
  readonly hooks = jobFaultHooks(this.take);
}

// Next bundles the start-up hook (where the in-app worker runs) and the route handlers (where the
// dashboard arms the fault) separately, so the one switch of the process lives on globalThis.
const cache: typeof globalThis & { __jobFaultSwitch?: JobFaultSwitch } = globalThis;
export const jobFaultSwitch = (): JobFaultSwitch => {
  cache.__jobFaultSwitch ??= new JobFaultSwitch();
  return cache.__jobFaultSwitch;
};
