import { AttemptDied } from "@/server/lib/attempt-died";
import type { JobRun } from "./handler";
import { effectKeyOf, findProcessed, recordProcessed } from "./inbox";
import { completeJob } from "./lease";

const confirmationMessageKey = (orderId: string) => `order-confirmation:${orderId}`;

/** Sends the order confirmation e-mail once, however often the job is delivered. */
export async function sendConfirmation(run: JobRun) {
  const { db, job } = run;
  if (run.defences && (await findProcessed(db, effectKeyOf(job)))) {
    await completeJob(db, job, { absorbed: true, tokensSaved: 0 });
    return "absorbed" as const;
  }
  const order = await db.order.findUniqueOrThrow({
    where: { id: job.orderId },
    select: { id: true, totalCents: true, user: { select: { name: true } }, items: { select: { quantity: true } } },
  });
  const units = order.items.reduce((n, i) => n + i.quantity, 0);
  const sent = await run.mailer.send({
    // The mailer's own key covers the gap the inbox cannot: sent, then crashed before recording it.
    messageKey: run.defences ? confirmationMessageKey(order.id) : null,
    to: `${order.user.name}@shop.example`,
    subject: `Your order ${order.id} is confirmed`,
    body: `${units} item(s), ${(order.totalCents / 100).toFixed(2)} charged. Thank you!`,
  });
  if (run.fault === "crash-before-save")
    throw new AttemptDied("simulated crash after sending the e-mail, before recording it");
  await completeJob(
    db,
    job,
    { absorbed: sent.replayed, tokensSaved: 0 },
    run.defences ? (tx) => recordProcessed(tx, job, { messageId: sent.id }) : undefined,
  );
  return sent.replayed ? ("absorbed" as const) : ("done" as const);
}
