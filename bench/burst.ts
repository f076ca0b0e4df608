/**
 * `npm run bench:burst`: who waits when many checkouts arrive at the same instant. Starts one built instance
 * (workers off, fresh database, as bench:alone does), then runs `--loads` loads of first executions, each
 * opening `--connections` new connections at once (autocannon), and prints for each load the latency
 * percentiles and the slowest requests with the moment they were sent (ms after the load began). Requests sent
 * in the first instant that finish far behind later ones are the burst's starved requests.
 *
 *   npm run bench:burst -- [--db sqlite|postgres] [--connections 16] [--seconds 10] [--loads 3]
 *     [--dist-dir .next-bench] [--first-port 3960]
 */
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { z } from "zod";
import { SCENARIOS } from "./alone/scenarios";
import { startSubject } from "./alone/subject";
import { ensureBuild } from "./lib/instances";
import { summarize } from "./lib/stats";
import { fmt } from "./run/report";

const schema = z.object({
  db: z.enum(["sqlite", "postgres"]).default("sqlite"),
  connections: z.coerce.number().int().min(1).max(256).default(16),
  seconds: z.coerce.number().int().min(1).max(120).default(10),
  loads: z.coerce.number().int().min(1).max(20).default(3),
  distDir: z.string().min(1).default(".next-bench"),
  firstPort: z.coerce.number().int().min(1024).default(3960),
});

/** How many of the slowest requests are listed per load. */
const SLOWEST = 8;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: "string" },
      connections: { type: "string" },
      seconds: { type: "string" },
      loads: { type: "string" },
      "dist-dir": { type: "string" },
      "first-port": { type: "string" },
    },
  });
  const config = schema.parse({ ...values, distDir: values["dist-dir"], firstPort: values["first-port"] });
  ensureBuild(config.distDir, { log: console.log });
  const subject = await startSubject(
    { name: "this", root: undefined, distDir: config.distDir },
    config.db,
    config.firstPort,
    {
      shoppers: 1,
      replayKeys: 8,
    },
  );
  try {
    /** What the unexpected answers of the current load said (status and reason), counted. */
    const refusals = new Map<string, number>();
    // One request for all loads: its carts rotate on across loads. Restarted at the first cart, a load would
    // send the intents that the previous load's last requests (still running on the server) hold, and the
    // duplicate-intent net would rightly refuse them.
    const request = {
      ...SCENARIOS.first.request(subject),
      onResponse: (status: number, body: string) => {
        if (status === 201) return;
        const key = `${status} ${/"reason":"([A-Z_]+)"/.exec(body)?.[1] ?? "?"}`;
        refusals.set(key, (refusals.get(key) ?? 0) + 1);
      },
    };
    for (let load = 1; load <= config.loads; load++) {
      const answers: { ms: number; sentAt: number }[] = [];
      refusals.clear();
      const began = Date.now();
      await new Promise<void>((resolve, reject) => {
        const instance = autocannon(
          {
            url: subject.origin,
            connections: config.connections,
            duration: config.seconds,
            requests: [request],
          },
          (error: unknown) => (error ? reject(error) : resolve()),
        );
        instance.on("response", (_client, _status: number, _bytes, responseTime: number) =>
          answers.push({ ms: responseTime, sentAt: Date.now() - began - responseTime }),
        );
      });
      const latency = summarize(answers.map((a) => a.ms));
      const refused = [...refusals.values()].reduce((sum, n) => sum + n, 0);
      const refusedBy = [...refusals].map(([key, n]) => `${n} x ${key}`).join(", ");
      const slowest = [...answers].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST);
      console.log(
        `load ${load} (${config.db}, ${config.connections} connections, ${config.seconds} s): ${answers.length} answers` +
          `${refused > 0 ? ` (${refused} not 201: ${refusedBy})` : ""}, p50 ${fmt(latency.p50, 0)} / p99 ${fmt(latency.p99, 0)} ms; ` +
          `slowest (ms, sent at ms): ${slowest.map((a) => `${fmt(a.ms, 0)} @${fmt(Math.max(0, a.sentAt), 0)}`).join(", ")}`,
      );
    }
  } finally {
    await subject.cluster.close();
  }
}

await main();
