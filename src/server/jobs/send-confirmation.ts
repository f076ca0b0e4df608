import type { Db } from "@/server/db";
import type { JobRun } from "./handler";
import { effectKeyOf, findProcessed, recordProcessed } from "./inbox";
import { completeJob } from "./lease";

const confirmationMessageKey = (orderId: string) => `order-confirmation:${orderId}`;

/** The confirmation e-mail of an order, without its message key. */
export async function confirmationEmail(db: Db, orderId: string) {
  const order = await db.order.findUniqueOrThrow({
    where: { id: orderId },
    select: { id: true, totalCents: true, user: { select: { name: true } }, items: { select: { quantity: true } } },
  });
  const units = order.items.reduce((n, i) => n + i.quantity, 0);
  return {
    to: `${order.user.name}@shop.example`,
    subject: `Your order ${order.id} is confirmed`,
    body: `${units} item(s), ${(order.totalCents / 100).toFixed(2)} charged. Thank you!`,
  };
}

/** Sends the order confirmation e-mail once, however often the job is delivered. */
export async function sendConfirmation(run: JobRun) {
  const { db, job } = run;
  if (await findProcessed(db, effectKeyOf(job))) {
    await completeJob(db, job, { absorbed: true, tokensSaved: 0 });
    return "absorbed" as const;
  }
  const sent = await run.mailer.send({
    // The mailer's own key covers the gap the inbox cannot: sent, then crashed before recording it.
    messageKey: confirmationMessageKey(job.orderId),
    ...(await confirmationEmail(db, job.orderId)),
  });
  await run.effectMade();
  await completeJob(db, job, { absorbed: sent.replayed, tokensSaved: 0 }, (tx) =>
    recordProcessed(tx, job, { messageId: sent.id }),
  );
  return sent.replayed ? ("absorbed" as const) : ("done" as const);
}
