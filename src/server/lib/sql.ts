import { createHash } from "node:crypto";
import type {
  ArgScalarType,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlQueryable,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { TransientError } from "@/server/idempotency/transient";

/** Which database a client talks to; SQL that differs between the two (time buckets, SKIP LOCKED) asks. */
export type Dialect = "sqlite" | "postgresql";

export type SqlValue = string | number | boolean | Date | null;

/**
 * Hand-written SQL on the connection Prisma's client uses (the same pool on PostgreSQL, the same single
 * connection and its lock handling on SQLite), without Prisma's query interpreter: a statement costs what the
 * driver costs (`npm run bench:statements`). For the exactly-once path only (the idempotency records, the
 * checkout's phases, the provider's ledger); the rest of the app uses the model API. Write each statement once:
 * `$1, $2, ...` placeholders (rewritten to `?` for SQLite), double-quoted identifiers, `RETURNING` (both
 * databases have it). Dates go in as Date and come back as ISO text (read them with `dateOf`); SQLite returns
 * booleans as 0/1. A column Prisma fills in (`@default(cuid())`, `@updatedAt`, `@default(now())`) is set by the
 * statement: the database's own CURRENT_TIMESTAMP would write SQLite dates in another format.
 */
export type SqlClient = {
  readonly dialect: Dialect;
  /** The rows of a query, one object per row keyed by column name. */
  rows<T extends Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** A statement's count of changed rows. */
  run(text: string, params?: readonly SqlValue[]): Promise<number>;
};

export type Sql = SqlClient & {
  /**
   * Runs `work` in one transaction: committed if it returns, rolled back if it throws. On SQLite it holds the
   * write lock from its start (BEGIN IMMEDIATE, see serial-sqlite-adapter.ts). It waits at most `maxWaitMs` to
   * start (a free pool connection, this process's other writers), then fails as a transient error (503).
   */
  transaction<R>(work: (tx: SqlClient) => Promise<R>): Promise<R>;
};

/**
 * A date read by hand-written SQL, null for NULL: ISO text (a column, on both databases), a Date (PostgreSQL
 * aggregates such as MAX), or milliseconds as a number, bigint or digits (old SQLite rows, SQLite aggregates).
 */
export const dateOf = (value: unknown): Date | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value));
  if (typeof value === "string") return new Date(/^\d+$/.test(value) ? Number(value) : value);
  return new Date(Number.NaN);
};

const scalarTypeOf = (value: SqlValue): ArgScalarType => {
  if (value === null) return "unknown";
  if (value instanceof Date) return "datetime";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return typeof value === "boolean" ? "boolean" : "string";
};

type Prepared = { sql: string; order: number[] };

/** Statements kept per process (and named per PostgreSQL connection): the app's are constants, a few hundred. */
const MAX_STATEMENTS = 1_000;

/**
 * The SQL path's statements on PostgreSQL, by text, with the name each is prepared under: a named statement is
 * parsed and planned once per connection instead of on every call (see statementNameOf).
 */
const statementNames = new Map<string, string>();

/**
 * For PrismaPg's statementNameGenerator: the name of a statement of the SQL path, or undefined (unnamed, parsed
 * every time) for Prisma's own queries, whose texts are not bounded.
 */
export const statementNameOf = (query: { sql: string }): string | undefined => statementNames.get(query.sql);

/**
 * SQLite's driver binds an array to anonymous `?` only: each `$n` becomes a `?` and takes its value by
 * position of occurrence. Cached per statement text (the app's statements are constants).
 */
function preparer(dialect: Dialect): (text: string) => Prepared {
  const cache = new Map<string, Prepared>();
  return (text) => {
    let prepared = cache.get(text);
    if (!prepared) {
      const order: number[] = [];
      const sql =
        dialect === "sqlite"
          ? text.replace(/\$(\d+)/g, (_, n: string) => {
              order.push(Number(n) - 1);
              return "?";
            })
          : text;
      prepared = { sql, order };
      if (cache.size < MAX_STATEMENTS) {
        cache.set(text, prepared);
        if (dialect === "postgresql" && statementNames.size < MAX_STATEMENTS) {
          statementNames.set(sql, `rsc_${createHash("sha1").update(sql).digest("hex").slice(0, 20)}`);
        }
      }
    }
    return prepared;
  };
}

export type SqlOptions = {
  dialect: Dialect;
  /** Longest wait for a transaction to start. */
  maxWaitMs: number;
  /** Called for every statement sent, as Prisma's query events are (tests hold query budgets with it). */
  onQuery?: ((query: { query: string; durationMs: number }) => void) | undefined;
};

/**
 * A driver adapter factory whose connection is shared: Prisma's client and the Sql made from it get the same
 * adapter (one pool, or SQLite's one connection), whoever connects first. A disposed adapter is forgotten, so a
 * client reconnecting after $disconnect gets a new one.
 */
export function sharedConnection(factory: SqlDriverAdapterFactory): {
  factory: SqlDriverAdapterFactory;
  connect: () => Promise<SqlDriverAdapter>;
} {
  let connecting: Promise<SqlDriverAdapter> | null = null;
  const connect = () => {
    connecting ??= factory.connect().then((adapter): SqlDriverAdapter => {
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = () => {
        connecting = null;
        return dispose();
      };
      return adapter;
    });
    return connecting;
  };
  return { factory: { provider: factory.provider, adapterName: factory.adapterName, connect }, connect };
}

export function createSql(connect: () => Promise<SqlDriverAdapter>, options: SqlOptions): Sql {
  const prepare = preparer(options.dialect);
  const { onQuery } = options;
  const queryOf = (text: string, params: readonly SqlValue[]): SqlQuery => {
    const { sql, order } = prepare(text);
    const args = options.dialect === "sqlite" ? order.map((i) => params[i] ?? null) : [...params];
    return { sql, args, argTypes: args.map((a) => ({ scalarType: scalarTypeOf(a), arity: "scalar" as const })) };
  };
  const timed = async <R>(text: string, send: () => Promise<R>): Promise<R> => {
    if (!onQuery) return send();
    const started = performance.now();
    try {
      return await send();
    } finally {
      onQuery({ query: text, durationMs: performance.now() - started });
    }
  };
  const on = (queryable: () => Promise<SqlQueryable>): SqlClient => ({
    dialect: options.dialect,
    async rows<T extends Record<string, unknown>>(text: string, params: readonly SqlValue[] = []) {
      const target = await queryable();
      return objectsOf<T>(await timed(text, () => target.queryRaw(queryOf(text, params))));
    },
    async run(text, params = []) {
      const target = await queryable();
      return timed(text, () => target.executeRaw(queryOf(text, params)));
    },
  });
  /** Sends COMMIT or ROLLBACK (the adapters leave that to their caller), then gives the connection back. */
  const end = async (tx: Transaction, verb: "COMMIT" | "ROLLBACK") => {
    try {
      if (!tx.options.usePhantomQuery) await timed(verb, () => tx.executeRaw({ sql: verb, args: [], argTypes: [] }));
    } finally {
      await (verb === "COMMIT" ? tx.commit() : tx.rollback());
    }
  };
  const begin = async (): Promise<Transaction> => {
    const adapter = await connect();
    const starting = timed("BEGIN", () => adapter.startTransaction());
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Started after all: ended at once, so its connection (and SQLite's write lock) is not kept.
        starting.then((tx) => end(tx, "ROLLBACK")).catch(() => {});
        reject(new TransientError(`no transaction could start within ${options.maxWaitMs} ms`));
      }, options.maxWaitMs);
    });
    try {
      return await Promise.race([starting, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    ...on(connect),
    async transaction(work) {
      const tx = await begin();
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work(on(async () => tx));
      } catch (error) {
        await end(tx, "ROLLBACK").catch(() => {});
        throw error;
      }
      await end(tx, "COMMIT");
      return result;
    },
  };
}

function objectsOf<T>(result: SqlResultSet): T[] {
  const { columnNames, rows } = result;
  return rows.map((row) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < columnNames.length; i++) object[columnNames[i] as string] = row[i];
    return object as T;
  });
}

/** `$from, $from+1, ...`: the placeholders of a list of `count` values (an IN list, one row of VALUES). */
export const placeholders = (count: number, from = 1): string =>
  Array.from({ length: count }, (_, i) => `$${from + i}`).join(", ");

/** The VALUES of a multi-row insert: one `(...)` per row of `width` placeholders, numbered on from `from`. */
export const valueRows = (rows: number, width: number, from = 1): string =>
  Array.from({ length: rows }, (_, r) => `(${placeholders(width, from + r * width)})`).join(", ");
