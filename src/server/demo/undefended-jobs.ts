import type { JobHandlers } from "@/server/jobs/handler";
import { completeJob } from "@/server/jobs/lease";
import { reviewRequestOf } from "@/server/jobs/review-content";
import { confirmationEmail } from "@/server/jobs/send-confirmation";
import { JobType } from "@/server/jobs/types";

/**
 * The job consumers with their defences off: the same effects as the real ones (src/server/jobs), but no
 * inbox, no content-hash cache and no mailer or model key, so nothing absorbs a redelivery. What
 * `npm run worker -- --no-defences` and `npm run bench:jobs` run to measure what the defences are worth.
 */
export const undefendedHandlers: JobHandlers = {
  async [JobType.SEND_CONFIRMATION]({ db, job, mailer, effectMade }) {
    await mailer.send({ messageKey: null, ...(await confirmationEmail(db, job.orderId)) });
    await effectMade();
    await completeJob(db, job, { absorbed: false, tokensSaved: 0 });
    return "done";
  },
  async [JobType.FRAUD_REVIEW]({ db, job, model, modelVersion, effectMade }) {
    const { prompt } = await reviewRequestOf(db, job.orderId, modelVersion);
    await model.complete({ idempotencyKey: null, model: modelVersion, prompt });
    await effectMade();
    await completeJob(db, job, { absorbed: false, tokensSaved: 0 });
    return "done";
  },
};
