/**
 * PostgreSQL's own counters around a scenario: WAL flushes to disk, WAL records and bytes (cluster-wide),
 * and the bench database's transactions and row changes, read over a connection to the server's maintenance
 * database (so the reads never count in the bench database's row). With pg_walinspect (contrib) the WAL
 * written between two reads is also inspected: COMMIT records of transactions that changed the bench
 * database are its durable commits, whatever else the cluster is doing.
 */
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

export type PgCounters = {
  /** WAL fsyncs (pg_stat_wal.wal_sync; pg_stat_io 'wal' fsyncs from PostgreSQL 18 on): cluster-wide. */
  walSyncs: number;
  walRecords: number;
  walBytes: number;
  /** pg_stat_database of the bench database. */
  commits: number;
  rollbacks: number;
  inserted: number;
  updated: number;
  deleted: number;
  /** Transactions committed so far in every other database of the cluster, by name (the noise on WAL syncs). */
  others: Record<string, number>;
  /** Where the WAL was at the read (pg_current_wal_lsn). */
  lsn: string;
};

/** From pg_walinspect, over the WAL between two reads: the bench database's own share. */
export type WalShare = { commitRecords: number; records: number };

export type CounterReader = {
  serverVersion: string;
  read(databaseName: string): Promise<PgCounters>;
  /**
   * Waits until every connection to the database has been idle for ms: a backend publishes its statistics
   * up to 10 s after it goes idle (PGSTAT_IDLE_INTERVAL), so counters read sooner miss its last work.
   */
  settle(databaseName: string, ms: number): Promise<void>;
  /** null when pg_walinspect cannot be installed in the bench database. */
  walShare(databaseUrl: string, databaseName: string, from: string, to: string): Promise<WalShare | null>;
  close(): Promise<void>;
};

export async function openCounterReader(serverUrl: string): Promise<CounterReader> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  const version = await client.query<{ server_version: string; num: string }>(
    "SELECT current_setting('server_version') AS server_version, current_setting('server_version_num') AS num",
  );
  const row = version.rows[0];
  // A temporary physical slot keeps the WAL between two reads from being recycled by a checkpoint (other
  // databases' work on a shared server can fill segments within seconds); advanced after each inspection,
  // dropped with this connection.
  const slot = `bench_alone_${process.pid}`;
  await client.query("SELECT pg_create_physical_replication_slot($1, true, true)", [slot]);
  // PostgreSQL 18 moved the WAL write/sync counters from pg_stat_wal to pg_stat_io.
  const walSyncs =
    Number(row?.num ?? 0) >= 180000
      ? "(SELECT COALESCE(SUM(fsyncs), 0) FROM pg_stat_io WHERE object = 'wal')"
      : "(SELECT wal_sync FROM pg_stat_wal)";
  const sql = `SELECT ${walSyncs} AS wal_syncs,
      (SELECT wal_records FROM pg_stat_wal) AS wal_records,
      (SELECT wal_bytes FROM pg_stat_wal) AS wal_bytes,
      d.xact_commit, d.xact_rollback, d.tup_inserted, d.tup_updated, d.tup_deleted,
      (SELECT COALESCE(json_object_agg(o.datname, o.xact_commit), '{}') FROM pg_stat_database o
        WHERE o.datname IS NOT NULL AND o.datname <> $1 AND o.datname <> current_database()) AS others,
      pg_current_wal_lsn()::text AS lsn
    FROM pg_stat_database d WHERE d.datname = $1`;
  return {
    serverVersion: row?.server_version ?? "?",
    async read(databaseName) {
      const result = await client.query<Record<string, string> & { others: Record<string, string> }>(sql, [
        databaseName,
      ]);
      const r = result.rows[0];
      if (!r) throw new Error(`pg_stat_database has no row for ${databaseName}`);
      return {
        walSyncs: Number(r.wal_syncs),
        walRecords: Number(r.wal_records),
        walBytes: Number(r.wal_bytes),
        commits: Number(r.xact_commit),
        rollbacks: Number(r.xact_rollback),
        inserted: Number(r.tup_inserted),
        updated: Number(r.tup_updated),
        deleted: Number(r.tup_deleted),
        others: Object.fromEntries(Object.entries(r.others).map(([name, n]) => [name, Number(n)])),
        lsn: String(r.lsn),
      };
    },
    async settle(databaseName, ms) {
      for (;;) {
        const result = await client.query<{ idle_ms: string | null; busy: string }>(
          `SELECT EXTRACT(EPOCH FROM clock_timestamp() - max(state_change)) * 1000 AS idle_ms,
              count(*) FILTER (WHERE state <> 'idle') AS busy
            FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [databaseName],
        );
        const row = result.rows[0];
        const idleMs = row?.idle_ms === null || row?.idle_ms === undefined ? ms : Number(row.idle_ms);
        if (Number(row?.busy ?? 0) === 0 && idleMs >= ms) return;
        await sleep(Math.max(200, ms - idleMs));
      }
    },
    async walShare(url, name, from, to) {
      const share = await walShare(client, url, name, from, to);
      await client.query("SELECT pg_replication_slot_advance($1, $2::pg_lsn)", [slot, to]);
      return share;
    },
    close: () => client.end(),
  };
}

/**
 * Counts the bench database's records in the WAL between two positions: a record whose block reference
 * names a relation of the database ("rel <tablespace>/<database oid>/<relation>") is its own, and a COMMIT
 * record of a transaction with such records is one of its durable commits. The extension is created in the
 * bench database, which is dropped after the run.
 */
async function walShare(
  admin: pg.Client,
  databaseUrl: string,
  databaseName: string,
  from: string,
  to: string,
): Promise<WalShare | null> {
  const oid = (
    await admin.query<{ oid: string }>("SELECT oid::text FROM pg_database WHERE datname = $1", [databaseName])
  ).rows[0]?.oid;
  if (!oid) return null;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("CREATE EXTENSION IF NOT EXISTS pg_walinspect");
    if (from === to) return { commitRecords: 0, records: 0 };
    const result = await client.query<{ commits: string; records: string }>(
      `WITH r AS (SELECT xid, resource_manager, record_type, block_ref
          FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)),
        own AS (SELECT * FROM r WHERE block_ref LIKE $3)
      SELECT (SELECT count(*) FROM r WHERE resource_manager = 'Transaction' AND record_type LIKE 'COMMIT%'
                AND xid IN (SELECT xid FROM own)) AS commits,
             (SELECT count(*) FROM own) AS records`,
      [from, to, `% rel %/${oid}/%`],
    );
    const row = result.rows[0];
    return row ? { commitRecords: Number(row.commits), records: Number(row.records) } : null;
  } catch (error) {
    console.error(`[bench:alone] pg_walinspect unavailable: ${error instanceof Error ? error.message : error}`);
    return null;
  } finally {
    await client.end();
  }
}

type Numeric = Exclude<keyof PgCounters, "lsn" | "others">;

/** (after - before) / requests for every numeric counter. */
export const perRequest = (before: PgCounters, after: PgCounters, requests: number): Record<Numeric, number> => {
  const out = {} as Record<Numeric, number>;
  for (const key of Object.keys(before) as (keyof PgCounters)[]) {
    if (key === "lsn" || key === "others") continue;
    out[key] = requests > 0 ? (after[key] - before[key]) / requests : Number.NaN;
  }
  return out;
};

/** Commits in other databases between two reads (databases created or dropped in between are left out). */
export const otherCommits = (before: PgCounters, after: PgCounters): number =>
  Object.entries(after.others).reduce(
    (sum, [name, n]) => sum + (name in before.others ? n - (before.others[name] ?? 0) : 0),
    0,
  );
