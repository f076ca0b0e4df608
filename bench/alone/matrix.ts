/**
 * The measurements of one database kind: every build on its own fresh database, then each scenario alone
 * at each concurrency, the builds alternating which goes first from one scenario to the next.
 */
import { testPostgresUrl } from "../../scripts/postgres/test-server";
import type { Kind } from "../lib/databases";
import type { AloneConfig } from "./cli";
import { type LoadResult, runLoad } from "./load";
import { type CounterReader, openCounterReader, type PgCounters, type WalShare } from "./pg-counters";
import { SCENARIOS, type ScenarioName } from "./scenarios";
import { type Build, type Subject, startSubject } from "./subject";

export type Measurement = {
  kind: Kind;
  build: string;
  scenario: ScenarioName;
  concurrency: number;
  load: LoadResult;
  /** CPU time the server's processes used during the load (ms), read from /proc: steadier than req/s. */
  serverCpuMs: number;
  /** PostgreSQL at concurrency 1: counter deltas over the scenario (divide by load.answers for per request). */
  counters: { before: PgCounters; after: PgCounters; wal: WalShare | null } | null;
};

type Run = { config: AloneConfig; log: (line: string) => void; track: (subjects: Subject[]) => void };

export async function measureKind(run: Run, kind: Kind, builds: Build[], firstPort: number): Promise<Measurement[]> {
  const { config, log } = run;
  const subjects: Subject[] = [];
  const reader: CounterReader | null = kind === "postgres" ? await openCounterReader(testPostgresUrl()) : null;
  try {
    for (const [i, build] of builds.entries()) {
      log(`${kind}: starting ${build.name} on port ${firstPort + i} (fresh database)`);
      subjects.push(await startSubject(build, kind, firstPort + i, config));
      run.track(subjects);
    }
    if (reader) {
      log(`${kind}: PostgreSQL ${reader.serverVersion}`);
      // Installs pg_walinspect in each bench database now, before the warm-up, so its catalog writes land
      // in no measurement.
      for (const s of subjects) {
        if (!s.databaseName) continue;
        const { lsn } = await reader.read(s.databaseName);
        await reader.walShare(s.cluster.db.url, s.databaseName, lsn, lsn);
      }
    }
    if (config.warmup > 0) {
      for (const subject of subjects) {
        for (const name of config.scenarios) {
          await runLoad(subject, SCENARIOS[name], { connections: 16, seconds: config.warmup });
        }
      }
    }
    const out: Measurement[] = [];
    /** No load since the counters last settled: they can be read without waiting again. */
    let quiet = false;
    const readCounters = async (subject: Subject): Promise<PgCounters | null> => {
      if (!reader || !subject.databaseName) return null;
      if (!quiet) await reader.settle(subject.databaseName, config.settleMs);
      quiet = true;
      return reader.read(subject.databaseName);
    };
    let turn = 0;
    for (const concurrency of config.concurrency) {
      for (const name of config.scenarios) {
        const order = turn++ % 2 === 0 ? subjects : [...subjects].reverse();
        for (const subject of order) {
          const counting = reader !== null && concurrency === 1;
          const before = counting ? await readCounters(subject) : null;
          quiet = false;
          const server = subject.cluster.instances[0];
          const cpuBefore = server?.cpuMs() ?? 0;
          const load = await runLoad(subject, SCENARIOS[name], { connections: concurrency, seconds: config.duration });
          const serverCpuMs = (server?.cpuMs() ?? 0) - cpuBefore;
          const after = counting ? await readCounters(subject) : null;
          const wal =
            reader && before && after && subject.databaseName
              ? await reader.walShare(subject.cluster.db.url, subject.databaseName, before.lsn, after.lsn)
              : null;
          log(
            `${kind} c=${concurrency} ${name} ${subject.build.name}: ${load.perSecond} req/s, p50 ${load.latency.p50} ms` +
              (load.unexpected + load.errors > 0
                ? ` -- UNEXPECTED ${load.unexpected}, errors ${load.errors}: ${JSON.stringify(load.statuses)}`
                : ""),
          );
          out.push({
            kind,
            build: subject.build.name,
            scenario: name,
            concurrency,
            load,
            serverCpuMs,
            counters: before && after ? { before, after, wal } : null,
          });
        }
      }
    }
    return out;
  } finally {
    await reader?.close();
    for (const subject of subjects) await subject.cluster.close({ keepDatabase: config.keep });
    run.track([]);
  }
}
