import { AttemptDied } from "@/server/lib/attempt-died";
import { canonicalJson } from "@/server/lib/canonical-json";
import type { JobRun } from "./handler";
import { effectKeyOf, findProcessed, recordProcessed } from "./inbox";
import { completeJob } from "./lease";
import { contentHashOf, reviewContent } from "./review-content";

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
  if (run.defences) {
    const processed = await findProcessed(db, effectKeyOf(job));
    if (processed) {
      await completeJob(db, job, { absorbed: true, tokensSaved: tokensOf(processed) });
      return "absorbed" as const;
    }
  }
  const order = await db.order.findUniqueOrThrow({
    where: { id: job.orderId },
    select: {
      userId: true,
      totalCents: true,
      items: { select: { productId: true, quantity: true, unitPriceCents: true } },
    },
  });
  const content = reviewContent(order, run.modelVersion);
  const contentHash = contentHashOf(content);

  if (run.defences) {
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
  }

  const answer = await run.model.complete(
    {
      idempotencyKey: run.defences ? contentHash : null,
      model: run.modelVersion,
      prompt: `Rate the fraud risk of this order from 0 to 99: ${canonicalJson(content)}`,
    },
    { timeoutAfterBilling: run.fault === "model-timeout-after-billing" },
  );
  if (run.fault === "crash-before-save")
    throw new AttemptDied("simulated crash after the billed model call, before saving it");

  await completeJob(
    db,
    job,
    { absorbed: false, tokensSaved: answer.replayed ? answer.tokens : 0 },
    run.defences
      ? async (tx) => {
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
        }
      : undefined,
  );
  return "done" as const;
}
