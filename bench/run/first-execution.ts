import type { Cluster } from "../lib/cluster";
import { waitForQuiet } from "../lib/cluster";
import { ratio, summarize } from "../lib/stats";
import { PLACE_ORDER, PLACE_ORDER_UNSAFE, prepareIntents, runStorm } from "../lib/storm";
import type { Bench } from "./bench";
import type { FirstExecution } from "./report-types";
import { stormOptions } from "./storms";

/** First executions only (one copy per intent, no faults), protected and unsafe in alternating rounds. */
export async function firstExecution(
  bench: Bench,
  cluster: Cluster,
  unsafeAvailable: boolean,
): Promise<FirstExecution> {
  // Four rounds, the order swapped every round (p u, u p, p u, u p): on a noisy 2-core machine neither path
  // always runs first or last, which moved the ratio by up to 0.25 between runs with two rounds.
  const rounds = 4;
  const perRound = Math.max(1, Math.floor(bench.config.firstExec / rounds));
  const acc = { p: { n: 0, ms: 0, lat: [] as number[] }, u: { n: 0, ms: 0, lat: [] as number[] } };
  const both = [
    ["p", PLACE_ORDER],
    ["u", PLACE_ORDER_UNSAFE],
  ] as const;
  for (let round = 0; round < rounds; round++) {
    for (const [key, procedure] of round % 2 === 0 ? both : [...both].reverse()) {
      if (key === "u" && !unsafeAvailable) continue;
      const options = stormOptions(bench, cluster, procedure, `fe${round}-${key}-`, {
        intents: perRound,
        copies: 1,
        faultShare: 0,
        declinedShare: 0,
      });
      const intents = await prepareIntents(options);
      // Each timed round starts idle: not paying for the previous round's jobs (e-mails, model calls).
      await waitForQuiet(cluster.db, 120_000);
      const result = await runStorm(options, intents);
      acc[key].n += result.summary.finals.ok;
      acc[key].ms += result.summary.durationMs;
      for (const r of result.results)
        for (const a of r.outcome.attempts) if (a.kind === "executed") acc[key].lat.push(a.ms);
    }
  }
  const perSecond = (a: { n: number; ms: number }) => Math.round((a.n / a.ms) * 1000 * 10) / 10;
  const p = { perSecond: perSecond(acc.p), latency: summarize(acc.p.lat) };
  const u = unsafeAvailable ? { perSecond: perSecond(acc.u), latency: summarize(acc.u.lat) } : null;
  return {
    intents: perRound * rounds,
    protected: p,
    unsafe: u,
    ratio: u ? ratio(p.perSecond, u.perSecond) : Number.NaN,
  };
}
