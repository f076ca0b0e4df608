/**
 * `npm run bench:dashboard`: seeds ≥100,000 RequestEvents into a fresh SQLite and a fresh PostgreSQL
 * database and times every query the admin dashboard polls. Prints a table per database and writes
 * bench/results/dashboard-<provider>.json. Self-contained: creates and drops its own databases.
 *
 *   npm run bench:dashboard -- [--events 100000] [--runs 7] [--provider sqlite|postgresql]
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { RequestOutcome } from "@/generated/sqlite/enums";
import { audit } from "@/server/admin/audit";
import { recentIntents } from "@/server/admin/intents";
import { latencyPercentiles } from "@/server/admin/latency";
import { retriesPerIntent } from "@/server/admin/retries";
import { stats } from "@/server/admin/stats";
import { outcomesOverTime } from "@/server/admin/timeline";
import type { Db } from "@/server/db";
import { createTestDatabase, type Provider, providers } from "@/test/test-db";
import { OPERATIONS } from "../src/shared/names";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "100000" },
    runs: { type: "string", default: "7" },
    provider: { type: "string" },
  },
});
const EVENTS = Math.max(1000, Number(args.events));
const RUNS = Math.max(1, Number(args.runs));
const CHUNK = 5_000;
const USERS = 500;

/** A deterministic pseudo-random sequence, so every run seeds the same shape of data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type EventRow = {
  userId: string | null;
  key: string | null;
  operation: string;
  outcome: RequestOutcome;
  httpStatus: number;
  createdAt: Date;
  latencyMs: number;
  amountCents: number | null;
  attempt: number;
};

/**
 * Intents of 1-8 requests spread over the last 3 days, half of them in the last hour (a "storm"):
 * first request executed (sometimes recovered), then replays, in-flight conflicts and the odd mismatch,
 * plus client reports and key errors, roughly in the proportions a retry storm produces.
 */
function* generateEvents(userIds: string[], total: number, now: number): Generator<EventRow> {
  const random = rng(42);
  let produced = 0;
  while (produced < total) {
    const userId = userIds[Math.floor(random() * userIds.length)] ?? null;
    const key = randomUUID();
    const recent = random() < 0.5;
    let at = now - Math.floor(random() * (recent ? 60 * 60_000 : 3 * 24 * 60 * 60_000));
    const amount = 700 + Math.floor(random() * 20) * 100;
    const operation = random() < 0.8 ? OPERATIONS.placeOrder : OPERATIONS.addItem;
    const requests = 1 + Math.floor(random() ** 2 * 8);
    for (let i = 0; i < requests && produced < total; i++, produced++) {
      const r = random();
      let outcome: RequestOutcome;
      if (i === 0)
        outcome = r < 0.03 ? "KEY_MISSING" : r < 0.05 ? "RECOVERED" : r < 0.07 ? "DUPLICATE_SUSPECTED" : "EXECUTED";
      else
        outcome =
          r < 0.55
            ? "REPLAYED"
            : r < 0.75
              ? "IN_FLIGHT_CONFLICT"
              : r < 0.8
                ? "FINGERPRINT_MISMATCH"
                : r < 0.9
                  ? "CLIENT_RETRY"
                  : r < 0.97
                    ? "CLIENT_DEDUPED"
                    : "TRANSIENT_FAILURE";
      const duplicate = outcome === "REPLAYED" || outcome === "IN_FLIGHT_CONFLICT" || outcome === "DUPLICATE_SUSPECTED";
      yield {
        userId,
        key: outcome === "KEY_MISSING" ? null : key,
        operation,
        outcome,
        httpStatus: outcome === "EXECUTED" || outcome === "RECOVERED" ? 201 : outcome === "REPLAYED" ? 200 : 409,
        createdAt: new Date(at),
        latencyMs: outcome === "REPLAYED" ? 1 + Math.floor(random() * 15) : 20 + Math.floor(random() ** 3 * 2000),
        amountCents: duplicate && operation === OPERATIONS.placeOrder ? amount : null,
        attempt: i + 1,
      };
      at += 50 + Math.floor(random() * 2_000);
    }
  }
}

async function seed(db: Db, now: number): Promise<{ users: number; events: number; ms: number }> {
  const started = performance.now();
  const users = Array.from({ length: USERS }, (_, i) => ({ id: `bench-user-${i}`, name: `bench-${i}` }));
  await db.user.createMany({ data: users });
  let chunk: EventRow[] = [];
  let events = 0;
  for (const row of generateEvents(
    users.map((u) => u.id),
    EVENTS,
    now,
  )) {
    chunk.push(row);
    if (chunk.length === CHUNK) {
      events += (await db.requestEvent.createMany({ data: chunk })).count;
      chunk = [];
    }
  }
  if (chunk.length) events += (await db.requestEvent.createMany({ data: chunk })).count;
  return { users: USERS, events, ms: performance.now() - started };
}

type Timing = { query: string; medianMs: number; minMs: number; maxMs: number };

async function time(name: string, run: () => Promise<unknown>): Promise<Timing> {
  await run(); // warm-up: plans, page cache, connection pool
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    query: name,
    medianMs: round(samples[Math.floor(samples.length / 2)] ?? 0),
    minMs: round(samples[0] ?? 0),
    maxMs: round(samples[samples.length - 1] ?? 0),
  };
}

async function benchProvider(provider: Provider) {
  const t = await createTestDatabase(provider, { seed: true });
  try {
    const now = Date.now();
    const seeded = await seed(t.db, now);
    console.log(
      `\n[${provider}] seeded ${seeded.events.toLocaleString("en-US")} events for ${seeded.users} users in ${(seeded.ms / 1000).toFixed(1)} s`,
    );
    // Steady state of a live table (autovacuum keeps the visibility map current, so index-only scans hold).
    if (provider === "postgresql") await t.db.$executeRawUnsafe(`VACUUM ANALYZE "RequestEvent"`);
    else await t.db.$executeRawUnsafe("ANALYZE");
    const db = t.db;
    const queries: [string, () => Promise<unknown>][] = [
      ["admin.stats 5m", () => stats(db, { window: "5m" })],
      ["admin.stats 1h", () => stats(db, { window: "1h" })],
      ["admin.stats 1d", () => stats(db, { window: "1d" })],
      ["admin.stats all", () => stats(db, { window: "all" })],
      ["admin.timeline 1h", () => outcomesOverTime(db, "1h")],
      ["admin.timeline all", () => outcomesOverTime(db, "all")],
      ["admin.retries 1h", () => retriesPerIntent(db, "1h")],
      ["admin.retries all", () => retriesPerIntent(db, "all")],
      ["admin.latency 1h", () => latencyPercentiles(db, "1h")],
      ["admin.latency all", () => latencyPercentiles(db, "all")],
      ["admin.intents 1h", () => recentIntents(db, { window: "1h", limit: 20 })],
      ["admin.audit", () => audit(db)],
    ];
    const timings: Timing[] = [];
    for (const [name, run] of queries) timings.push(await time(name, run));
    // One dashboard refresh: the six queries the page polls every 3 s, in parallel as the browser batches them.
    timings.push(
      await time("dashboard refresh 1h (all six)", () =>
        Promise.all([
          stats(db, { window: "1h" }),
          outcomesOverTime(db, "1h"),
          retriesPerIntent(db, "1h"),
          latencyPercentiles(db, "1h"),
          recentIntents(db, { window: "1h", limit: 20 }),
          audit(db),
        ]),
      ),
    );
    console.table(timings);
    const result = {
      provider,
      events: seeded.events,
      users: seeded.users,
      seedMs: Math.round(seeded.ms),
      runs: RUNS,
      measuredAt: new Date(now).toISOString(),
      node: process.version,
      timings,
    };
    const dir = path.resolve(import.meta.dirname, "results");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `dashboard-${provider}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`[${provider}] wrote ${path.relative(process.cwd(), file)}`);
    return result;
  } finally {
    await t.drop();
  }
}

const selected = args.provider ? providers.filter((p) => p === args.provider) : providers;
if (selected.length === 0) throw new Error(`unknown provider ${args.provider}; use sqlite or postgresql`);
for (const provider of selected) await benchProvider(provider);
process.exit(0);
