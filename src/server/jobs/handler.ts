import type { Db } from "@/server/db";
import type { Mailer } from "./external/mailer";
import type { ModelClient } from "./external/model-client";
import type { ClaimedJob } from "./types";

/** Everything one delivery needs. */
export type JobRun = {
  db: Db;
  job: ClaimedJob;
  mailer: Mailer;
  model: ModelClient;
  modelVersion: string;
  /**
   * Called once the external effect is made (e-mail sent, model call billed), before it is recorded: the
   * delivery's `afterEffect` hook steps in here (a no-op unless the composition root wires one).
   */
  effectMade: () => Promise<void>;
};

/**
 * How a delivery ended: the effect was made now, was found already recorded (a redelivery absorbed),
 * or (fraud review) came from the content-hash cache.
 */
export type HandlerOutcome = "done" | "absorbed" | "cached";

type JobHandler = (run: JobRun) => Promise<HandlerOutcome>;

/** The consumer of each job type. */
export type JobHandlers = Record<string, JobHandler>;

/**
 * Generic points of one delivery where the composition root may step in (the demo injects its job faults
 * here; production wires none). A hook may throw: a plain error fails the delivery (back-off, then DEAD
 * after the last attempt), an AttemptDied leaves its lease held, as a killed process would.
 */
export type DeliveryHooks = {
  /** Before the handler runs. */
  beforeHandle?(): Promise<void>;
  /** The model client this delivery calls, given the worker's. */
  model?(client: ModelClient): ModelClient;
  /** After the external effect, before it is recorded. */
  afterEffect?(): Promise<void>;
};
