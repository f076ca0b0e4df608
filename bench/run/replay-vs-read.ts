import { dataOf, isReplay, query, send, type Target } from "../lib/http";
import { ratio, summarize } from "../lib/stats";
import { type Intent, mapLimit, PLACE_ORDER, pickRandom } from "../lib/storm";
import type { Bench } from "./bench";
import type { ReplayVsRead } from "./report-types";

/** Replays of completed intents against a plain authenticated read (orders.get) of the same order, interleaved. */
export async function replayVsRead(
  bench: Bench,
  targets: Target[],
  completed: { intent: Intent; orderId: string }[],
  concurrency: number,
): Promise<ReplayVsRead> {
  const replay: number[] = [];
  const read: number[] = [];
  let unexpected = 0;
  const tasks = Array.from({ length: bench.config.latencySamples }, (_, i) => completed[i % completed.length]);
  await mapLimit(tasks, concurrency, async (task) => {
    if (!task) return;
    const doReplay = async () => {
      const answer = await send(pickRandom(targets), {
        method: "POST",
        path: `/api/trpc/${PLACE_ORDER}`,
        headers: { cookie: task.intent.cookie, "x-retry-attempt": "1" },
        body: task.intent.body,
      });
      if (answer.status === 200 && isReplay(answer)) replay.push(answer.ms);
      else unexpected++;
    };
    const doRead = async () => {
      const answer = await query(pickRandom(targets), "orders.get", task.intent.cookie, { id: task.orderId });
      if (answer.status === 200 && dataOf(answer)) read.push(answer.ms);
      else unexpected++;
    };
    if (Math.random() < 0.5) {
      await doReplay();
      await doRead();
    } else {
      await doRead();
      await doReplay();
    }
  });
  const r = summarize(replay);
  const q = summarize(read);
  return { concurrency, replay: r, read: q, ratioP50: ratio(r.p50, q.p50), ratioP95: ratio(r.p95, q.p95), unexpected };
}
