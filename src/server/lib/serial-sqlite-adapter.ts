import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { Mutex } from "async-mutex";

/**
 * better-sqlite3 gives a process one connection. Prisma's adapter queues interactive transactions on it,
 * but sends a statement made outside a transaction at once: while another request's transaction is open
 * (BEGIN sent, awaiting its next step), that statement runs inside it, sees its uncommitted rows, and is
 * undone if it rolls back. A provider charge written that way vanished with a twin's rolled-back phase
 * (payment recorded, charge gone: seen in the kill -9 test). This wrapper makes every statement outside a
 * transaction wait until no transaction is open, so each one is its own, as the code that sends it assumes.
 */
export function serialSqliteAdapter(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => new SerialAdapter(await factory.connect()),
  };
}

class SerialAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter["provider"];
  readonly adapterName: string;
  readonly getConnectionInfo?: SqlDriverAdapter["getConnectionInfo"];
  /** Held from BEGIN to COMMIT/ROLLBACK, and around each statement sent outside a transaction. */
  readonly #connection = new Mutex();

  constructor(private readonly inner: SqlDriverAdapter) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    if (inner.getConnectionInfo)
      this.getConnectionInfo = () => inner.getConnectionInfo?.() ?? { supportsRelationJoins: false };
  }

  queryRaw(query: SqlQuery) {
    return this.#connection.runExclusive(() => this.inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    return this.#connection.runExclusive(() => this.inner.executeRaw(query));
  }

  executeScript(script: string) {
    return this.#connection.runExclusive(() => this.inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const release = await this.#connection.acquire();
    try {
      return releasingOnEnd(await this.inner.startTransaction(isolationLevel), release);
    } catch (error) {
      release();
      throw error;
    }
  }

  dispose() {
    return this.inner.dispose();
  }
}

/** The transaction as Prisma's engine uses it; ending it (either way) frees the connection once. */
function releasingOnEnd(tx: Transaction, release: () => void): Transaction {
  let open = true;
  const end = async (finish: () => Promise<void>) => {
    try {
      await finish();
    } finally {
      if (open) {
        open = false;
        release();
      }
    }
  };
  return {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (query) => tx.queryRaw(query),
    executeRaw: (query) => tx.executeRaw(query),
    commit: () => end(() => tx.commit()),
    rollback: () => end(() => tx.rollback()),
    ...(tx.createSavepoint && { createSavepoint: (name: string) => tx.createSavepoint?.(name) ?? Promise.resolve() }),
    ...(tx.rollbackToSavepoint && {
      rollbackToSavepoint: (name: string) => tx.rollbackToSavepoint?.(name) ?? Promise.resolve(),
    }),
    ...(tx.releaseSavepoint && {
      releaseSavepoint: (name: string) => tx.releaseSavepoint?.(name) ?? Promise.resolve(),
    }),
  };
}
