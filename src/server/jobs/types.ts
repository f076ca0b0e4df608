/** The jobs an order's final transaction writes (the outbox) and the workers deliver at least once. */
export const JobType = {
  SEND_CONFIRMATION: "send-confirmation",
  FRAUD_REVIEW: "fraud-review",
} as const;
export type JobType = (typeof JobType)[keyof typeof JobType];

export const jobTypes: readonly JobType[] = [JobType.SEND_CONFIRMATION, JobType.FRAUD_REVIEW];

/** One delivery a worker owns: the lease version it claimed with fences all of its writes. */
export type ClaimedJob = {
  id: string;
  orderId: string;
  type: string;
  leaseVersion: number;
  /** Deliveries started so far, this one included. */
  attempts: number;
};

/** What one pass of a job worker did, by outcome. */
export type JobPassReport = {
  claimed: number;
  done: number;
  absorbed: number;
  cached: number;
  retried: number;
  dead: number;
  crashed: number;
  lost: number;
  buried: number;
};

export class JobLeaseLostError extends Error {
  constructor(jobId: string) {
    super(`lease on job ${jobId} was lost to another delivery`);
    this.name = "JobLeaseLostError";
  }
}

/** Unknown job types fail like any other error and end DEAD: a bug to see on the dashboard, not to loop on. */
export class UnknownJobTypeError extends Error {
  constructor(type: string) {
    super(`no handler for job type "${type}"`);
    this.name = "UnknownJobTypeError";
  }
}
