import { setImmediate } from "node:timers/promises";
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { Mutex } from "async-mutex";
import { isBusy, retryWhileBusy } from "./sqlite-busy";
import { SQLITE_CONNECTION_PRAGMAS } from "./sqlite-durability";

/**
 * Waits for the next turn of the event loop; awaited before every statement sent outside a transaction,
 * before every transaction begins and once it has ended. better-sqlite3 runs a statement inside the call, so
 * without it a request is one chain of microtasks that runs to its end in a single turn. Node accepts at most
 * one new connection per turn (libuv/libuv#3696), and a turn runs every request that is ready: under load,
 * each connection of a burst waited for a turn as long as all the requests already in, and the first
 * requests of a burst of 16 finished up to 2.5 s late, one after another, while later ones passed them
 * (`npm run bench:burst`).
 * A transaction, once begun, runs to its end without giving turns: it holds the database's write lock, which
 * other processes wait for, and would hold it while every other request of this process takes its turn.
 */
const nextLoopTurn = () => setImmediate();

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

export type SerialSqliteOptions = {
  /** How long a statement or a transaction's start waits, in all, for a lock held by another process. */
  busyTimeoutMs: number;
};

/**
 * better-sqlite3 gives a process one connection. Prisma's adapter queues interactive transactions on it,
 * but sends a statement made outside a transaction at once: while another request's transaction is open
 * (BEGIN sent, awaiting its next step), that statement runs inside it, sees its uncommitted rows, and is
 * undone if it rolls back. A provider charge written that way vanished with a twin's rolled-back phase
 * (payment recorded, charge gone: seen in the kill -9 test). This wrapper makes every statement outside a
 * transaction wait until no transaction is open, so each one is its own, as the code that sends it assumes.
 *
 * It also keeps lock waits off the event loop. better-sqlite3 waits for another process's lock inside the
 * call (the driver is given a busy timeout of a few ms, see sqlite-busy.ts); a longer wait is a retry after
 * an awaited, jittered delay, with the connection free for other requests meanwhile, up to busyTimeoutMs
 * (counted from the call, the wait behind this process's other writers included).
 * A retry is only safe where SQLITE_BUSY means "nothing done": a statement outside a transaction, and
 * BEGIN. So a transaction takes the write lock when it begins (BEGIN IMMEDIATE) instead of at its first
 * write: a deferred one that read first could fail half-way with SQLITE_BUSY_SNAPSHOT (in WAL, a read
 * snapshot cannot be upgraded to a write once another process has committed), which no wait can cure.
 *
 * And it gives the event loop a turn before each statement outside a transaction and before and after each
 * transaction (see nextLoopTurn): a synchronous driver otherwise runs a whole request in one turn.
 */
export function serialSqliteAdapter(
  factory: SqlDriverAdapterFactory,
  options: SerialSqliteOptions,
): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = new SerialAdapter(await factory.connect(), options);
      for (const pragma of SQLITE_CONNECTION_PRAGMAS) await adapter.queryRaw(statement(pragma));
      return adapter;
    },
  };
}

class SerialAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter["provider"];
  readonly adapterName: string;
  readonly getConnectionInfo?: SqlDriverAdapter["getConnectionInfo"];
  /** Held from BEGIN to COMMIT/ROLLBACK, and around each statement sent outside a transaction. */
  readonly #connection = new Mutex();
  /**
   * The process's line for SQLite's write lock while another process holds it: held by a transaction from
   * before its BEGIN to its end, and by a statement that met the lock while it retries. Only the first in
   * line asks for the lock (each try may block the event loop a few ms); the others wait their turn
   * asynchronously, in order.
   */
  readonly #writers = new Mutex();

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly options: SerialSqliteOptions,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    if (inner.getConnectionInfo)
      this.getConnectionInfo = () => inner.getConnectionInfo?.() ?? { supportsRelationJoins: false };
  }

  /**
   * One statement outside a transaction, alone on the connection. If it meets another process's lock, it
   * takes its place in the writers' line and is retried there, the connection free between tries.
   */
  async #alone<T>(run: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.options.busyTimeoutMs;
    await nextLoopTurn();
    try {
      return await this.#connection.runExclusive(run);
    } catch (error) {
      if (!isBusy(error)) throw error;
      return this.#writers.runExclusive(() => retryWhileBusy(() => this.#connection.runExclusive(run), deadline));
    }
  }

  queryRaw(query: SqlQuery) {
    return this.#alone(() => this.inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    return this.#alone(() => this.inner.executeRaw(query));
  }

  /** Not retried: a script may have run part of its statements when one of them meets the lock. */
  executeScript(script: string) {
    return this.#connection.runExclusive(() => this.inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    // SQLite knows one isolation level: the driver refuses any other (before touching the connection).
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") return this.inner.startTransaction(isolationLevel);
    const deadline = Date.now() + this.options.busyTimeoutMs;
    await nextLoopTurn();
    const leaveLine = await this.#writers.acquire();
    try {
      // The connection is released between tries, so other requests' reads go on while this one waits.
      const release = await retryWhileBusy(async () => {
        const release = await this.#connection.acquire();
        try {
          await this.inner.executeRaw(statement("BEGIN IMMEDIATE"));
          return release;
        } catch (error) {
          release();
          throw error;
        }
      }, deadline);
      return new ImmediateTransaction(this.inner, () => {
        release();
        leaveLine();
      });
    } catch (error) {
      leaveLine();
      throw error;
    }
  }

  dispose() {
    return this.inner.dispose();
  }
}

const ENDS_TRANSACTION = /^\s*(COMMIT|END|ROLLBACK)\s*(TRANSACTION)?\s*;?\s*$/i;

/**
 * The transaction as Prisma's engine drives it (usePhantomQuery false): it sends COMMIT or ROLLBACK as a
 * statement, then calls commit() or rollback(), which free the connection once. Should the engine free it
 * with the transaction still open (its COMMIT failed), it is rolled back first: left open, it would take
 * in every later request's statements.
 */
class ImmediateTransaction implements Transaction {
  readonly provider: Transaction["provider"];
  readonly adapterName: string;
  readonly options = { usePhantomQuery: false };
  #open = true;
  #release: (() => void) | null;

  constructor(
    private readonly connection: SqlDriverAdapter,
    release: () => void,
  ) {
    this.provider = connection.provider;
    this.adapterName = connection.adapterName;
    this.#release = release;
  }

  queryRaw(query: SqlQuery) {
    return this.connection.queryRaw(query);
  }

  async executeRaw(query: SqlQuery) {
    const changes = await this.connection.executeRaw(query);
    if (ENDS_TRANSACTION.test(query.sql)) this.#open = false;
    return changes;
  }

  commit() {
    return this.#end();
  }

  rollback() {
    return this.#end();
  }

  async createSavepoint(name: string) {
    await this.connection.executeRaw(statement(`SAVEPOINT ${name}`));
  }

  async rollbackToSavepoint(name: string) {
    await this.connection.executeRaw(statement(`ROLLBACK TO ${name}`));
  }

  async releaseSavepoint(name: string) {
    await this.connection.executeRaw(statement(`RELEASE SAVEPOINT ${name}`));
  }

  async #end() {
    const release = this.#release;
    if (!release) return;
    this.#release = null;
    try {
      // A failure here means SQLite has already rolled it back (it does on some errors): nothing left open.
      if (this.#open) await this.connection.executeRaw(statement("ROLLBACK")).catch(() => 0);
    } finally {
      this.#open = false;
      release();
    }
    // The lock is free: what the request does with the transaction's result waits for its own turn.
    await nextLoopTurn();
  }
}
