import type { Db } from "@/server/db";
import type { SimulatedMailer } from "./external/mailer";
import type { SimulatedModelClient } from "./external/model-client";
import type { ClaimedJob, JobFault } from "./types";

/** Everything one delivery needs. With `defences` off the consumer skips inbox, cache and model key. */
export type JobRun = {
  db: Db;
  job: ClaimedJob;
  defences: boolean;
  fault: JobFault | null;
  mailer: SimulatedMailer;
  model: SimulatedModelClient;
  modelVersion: string;
};

/**
 * How a delivery ended: the effect was made now, was found already recorded (a redelivery absorbed),
 * or (fraud review) came from the content-hash cache.
 */
export type HandlerOutcome = "done" | "absorbed" | "cached";

export type JobHandler = (run: JobRun) => Promise<HandlerOutcome>;
