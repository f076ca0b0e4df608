import { env } from "@/env";
import type { Db } from "@/server/db";
import { observeRequestEvent } from "@/server/metrics/observe";
import type { RequestEventInput } from "./request-event";

export type EventWriterOptions = {
  /** Longest an event waits before its batch is written. */
  flushMs?: number;
  /** Rows per insert; a full batch is written at once. */
  batchMax?: number;
};

/** A pending batch larger than this makes record() wait for a write: memory stays bounded under a storm. */
const BACKPRESSURE_BATCHES = 8;

/** The row as stored: the time is the request's, not the batch's. */
export const eventRow = (event: RequestEventInput, at: Date = new Date()) => ({
  ...event,
  createdAt: at,
  key: event.key?.slice(0, 255) ?? null,
  latencyMs: Math.max(0, Math.round(event.latencyMs)),
});

type Row = ReturnType<typeof eventRow>;

/**
 * Group commit for request events: a replay or a refusal must not pay a durable commit of its own, so its
 * event joins a batch written by one INSERT at most `flushMs` later (or when `batchMax` rows are waiting),
 * and on shutdown. What a kill -9 can lose is exactly the events of the last `flushMs`: never an order, a
 * payment, a charge or a record (those commit before the response is sent). A failed write is logged and
 * dropped, like a lost event before: an event never fails the request it describes.
 */
export class EventWriter {
  #pending: Row[] = [];
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();
  #flushMs: number;
  readonly #batchMax: number;

  constructor(
    private readonly db: Db,
    options: EventWriterOptions = {},
  ) {
    this.#flushMs = options.flushMs ?? env.EVENT_FLUSH_MS;
    this.#batchMax = options.batchMax ?? env.EVENT_BATCH_MAX;
  }

  /** Counts the event in the metrics now and queues its row; waits only when the queue is over its bound. */
  async record(event: RequestEventInput): Promise<void> {
    observeRequestEvent(event);
    this.#pending.push(eventRow(event));
    if (this.#pending.length >= this.#batchMax * BACKPRESSURE_BATCHES) return this.flush();
    if (this.#pending.length >= this.#batchMax || this.#flushMs === 0) {
      void this.flush();
      return;
    }
    if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush(), this.#flushMs);
      this.#timer.unref();
    }
  }

  /** Writes everything queued so far; resolves once it is committed (or logged as lost). */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const batch = this.#pending;
    this.#pending = [];
    // One write at a time, in order: a flush waits for the one before it.
    this.#writing = this.#writing.then(() => this.#write(batch));
    return this.#writing;
  }

  /** Shutdown: write what is queued and, from now on, every event at once. */
  drain(): Promise<void> {
    this.#flushMs = 0;
    return this.flush();
  }

  async #write(batch: Row[]): Promise<void> {
    for (let i = 0; i < batch.length; i += this.#batchMax) {
      const rows = batch.slice(i, i + this.#batchMax);
      try {
        await this.db.requestEvent.createMany({ data: rows });
      } catch (error) {
        console.error(`[events] could not record ${rows.length} request event(s)`, error);
      }
    }
  }
}

const shared: typeof globalThis & { __eventWriters?: WeakMap<Db, EventWriter> } = globalThis;

/**
 * The writer of a database client, one per client and process: Next bundles the start-up hook (which
 * drains the writer on shutdown) and the route handlers separately, and both must see the same queue.
 */
export function eventWriterFor(db: Db, options: EventWriterOptions = {}): EventWriter {
  shared.__eventWriters ??= new WeakMap();
  let writer = shared.__eventWriters.get(db);
  if (!writer) {
    writer = new EventWriter(db, options);
    shared.__eventWriters.set(db, writer);
  }
  return writer;
}
