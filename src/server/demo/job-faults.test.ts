import { describe, expect, it } from "vitest";
import type { ClaimedJob } from "@/server/jobs/types";
import { JobFaultSwitch } from "./job-faults";

const job: ClaimedJob = { id: "j1", orderId: "o1", type: "send-confirmation", leaseVersion: 1, attempts: 1 };

describe("JobFaultSwitch", () => {
  it("hands the armed fault to exactly the next N deliveries, then nothing", () => {
    const faults = new JobFaultSwitch();
    expect(faults.take(job)).toBeNull();
    faults.arm("crash-before-save", 2);
    expect(faults.armed()).toEqual({ fault: "crash-before-save", remaining: 2 });
    expect([faults.take(job), faults.take(job), faults.take(job)]).toEqual([
      "crash-before-save",
      "crash-before-save",
      null,
    ]);
    expect(faults.armed()).toBeNull();
  });

  it("arming sets the count instead of adding to it, so a repeated press arms once", () => {
    const faults = new JobFaultSwitch();
    faults.arm("fail", 3);
    faults.arm("fail", 3);
    expect(faults.armed()).toEqual({ fault: "fail", remaining: 3 });
    faults.arm(null);
    expect(faults.armed()).toBeNull();
    expect(faults.take(job)).toBeNull();
  });

  it("armed() is a copy: callers cannot change the switch", () => {
    const faults = new JobFaultSwitch();
    faults.arm("model-timeout-after-billing", 1);
    const seen = faults.armed();
    if (seen) seen.remaining = 99;
    expect(faults.armed()).toEqual({ fault: "model-timeout-after-billing", remaining: 1 });
  });
});
