import type { JobRun } from "./handler";
import { effectKeyOf, findProcessed, recordProcessed } from "./inbox";
import { completeJob } from "./lease";
import { reviewRequestOf } from "./review-content";

const tokensOf = (stored: unknown): number =>
  typeof stored === "object" && stored !== null && "tokens" in stored && typeof stored.tokens === "number"
    ? stored.tokens
    : 0;

/**
 * Reviews an order with the (paid) model. Three defences, each for its own duplicate:
 * the inbox (this order's review was already recorded: a redelivery), the cache by content hash (an equal
 * request was reviewed before), and the model's idempotency key (billed, then timed out or crashed before
 * the result was saved: the retry is answered without a second bill).
 */
export async function fraudReview(run: JobRun) {
  const { db, job } = run;
  const processed = await findProcessed(db, effectKeyOf(job));
  if (processed) {
    await completeJob(db, job, { absorbed: true, tokensSaved: tokensOf(processed) });
    return "absorbed" as const;
  }
  const { contentHash, prompt } = await reviewRequestOf(db, job.orderId, run.modelVersion);

  const cached = await db.fraudReview.findUnique({
    where: { contentHash },
    select: { id: true, score: true, verdict: true, tokens: true },
  });
  if (cached) {
    await completeJob(db, job, { absorbed: false, tokensSaved: cached.tokens }, (tx) =>
      recordProcessed(tx, job, { reviewId: cached.id, ...cached, cached: true }),
    );
    return "cached" as const;
  }

  const answer = await run.model.complete({ idempotencyKey: contentHash, model: run.modelVersion, prompt });
  await run.effectMade();

  await completeJob(db, job, { absorbed: false, tokensSaved: answer.replayed ? answer.tokens : 0 }, async (tx) => {
    // Two equal orders reviewed at once both reach here: upsert on the unique contentHash keeps one.
    const review = await tx.fraudReview.upsert({
      where: { contentHash },
      create: {
        contentHash,
        modelVersion: run.modelVersion,
        score: answer.answer.score,
        verdict: answer.answer.verdict,
        tokens: answer.tokens,
        modelCallId: answer.callId,
      },
      update: {},
      select: { id: true, score: true, verdict: true, tokens: true },
    });
    await recordProcessed(tx, job, { reviewId: review.id, ...review, cached: false });
  });
  return "done" as const;
}
