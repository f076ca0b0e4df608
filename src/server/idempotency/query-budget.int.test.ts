import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db, wrapSql } from "@/server/db";
import { createServices } from "@/server/services";
import { newKey, order, placeOrder } from "@/test/app-harness";
import { signIn, uniqueName } from "@/test/http-client";
import { type RunningServer, startHttpServer } from "@/test/http-server";
import { createTestDatabase, providers, type TestDatabase } from "@/test/test-db";

const isWrite = (q: string) => /^\s*(INSERT|UPDATE|DELETE)/i.test(q);
const isEventInsert = (q: string) => /^\s*INSERT INTO[\s\S]*["`]RequestEvent["`]/i.test(q);

/** A statement as sent, and whether it was sent inside an interactive transaction. */
type Sent = { query: string; inTx: boolean };

/**
 * What one request cost, from the statements sent (Prisma's and the SQL path's): durable commits are COMMITs plus writes sent outside
 * a transaction. The batched event insert (shared in production by every request of the last EVENT_FLUSH_MS;
 * the test server flushes it per response) is counted apart.
 */
function costOf(sent: Sent[]) {
  let commits = 0;
  let rollbacks = 0;
  let batchedEvents = 0;
  const statements: string[] = [];
  for (const { query, inTx } of sent) {
    const head = query.trim().toUpperCase();
    if (head.startsWith("BEGIN")) continue;
    if (head.startsWith("COMMIT")) commits++;
    else if (head.startsWith("ROLLBACK")) rollbacks++;
    else if (!inTx && isEventInsert(query)) batchedEvents++;
    else {
      statements.push(query);
      if (!inTx && isWrite(query)) commits++;
    }
  }
  return { commits, rollbacks, batchedEvents, statements };
}

const tables = (statements: string[]) =>
  statements.map((q) => {
    const verb = q.trim().split(/\s+/)[0]?.toUpperCase();
    const table = /(?:FROM|INTO|UPDATE)\s+(?:["`]?\w+["`]?\.)?["`](\w+)["`]/i.exec(q)?.[1];
    return `${verb} ${table}`;
  });

/**
 * Query budgets: a first execution commits three times (its first phase with the record, the provider's charge,
 * its final phase with the event); a replay is one lookup and no commit; each refusal costs what it says.
 * Counted from the statements logged (Prisma's query events and the SQL path's, see sql.ts), so a regression (an extra read, a transaction, a commit) fails.
 */
describe.each(providers)("query budget on %s", (provider) => {
  let t: TestDatabase;
  let counted: Db;
  let server: RunningServer;
  let queries: Sent[] = [];
  let openTransactions = 0;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    counted = createDb(t.url, { onQuery: (q) => queries.push({ query: q.query, inTx: openTransactions > 0 }) });
    // Prisma logs COMMIT and ROLLBACK but not BEGIN: the app's transactions (the SQL path's and Prisma's)
    // are marked where they are opened.
    const inTransaction = async <R>(open: () => Promise<R>): Promise<R> => {
      openTransactions++;
      try {
        return await open();
      } finally {
        openTransactions--;
      }
    };
    const marked = wrapSql(
      new Proxy(counted, {
        get(target, prop, receiver) {
          if (prop !== "$transaction") return Reflect.get(target, prop, receiver);
          const open: Db["$transaction"] = (fn, options) => inTransaction(() => target.$transaction(fn, options));
          return open;
        },
      }),
      (sql) => ({ ...sql, transaction: (work) => inTransaction(() => sql.transaction(work)) }),
    );
    server = await startHttpServer(createServices({ db: marked, faultsEnabled: true }));
  });
  afterAll(async () => {
    await server?.close();
    await counted?.$disconnect();
    await t?.drop();
  });

  /** Runs one request with the query log cleared, and returns its answer and cost. */
  async function measured<T>(request: () => Promise<T>) {
    queries = [];
    const answer = await request();
    return { answer, cost: costOf(queries) };
  }

  it("a first execution costs three durable commits, its event inside the last", async () => {
    const cookie = await signIn(server.url, uniqueName("budget-first"));
    const body = order([{ productId: "ceramic-mug", quantity: 1 }]);
    const { answer, cost } = await measured(() => placeOrder(server, cookie, newKey(), body));
    expect(answer.status).toBe(201);
    expect(cost.commits, tables(cost.statements).join("\n")).toBe(3);
    expect(cost.batchedEvents).toBe(0);
    expect(tables(cost.statements)).toEqual([
      "SELECT IdempotencyRecord",
      // first phase: the record, the net's recheck, the reservation (returning the price), the order and its lines
      "INSERT IdempotencyRecord",
      "SELECT Order",
      "UPDATE Product",
      "INSERT Order",
      "INSERT OrderItem",
      // the provider's own record
      "INSERT ProviderCharge",
      // final phase: lease, payment, order status, jobs (outbox), cart, the stored response, the event
      "UPDATE IdempotencyRecord",
      "INSERT Payment",
      "UPDATE Order",
      "INSERT Job",
      "DELETE CartItem",
      "UPDATE IdempotencyRecord",
      "INSERT RequestEvent",
    ]);
  });

  it("a replay costs one record lookup and no commit; its event is batched", async () => {
    const cookie = await signIn(server.url, uniqueName("budget"));
    const key = newKey();
    const body = order([{ productId: "ceramic-mug", quantity: 1 }]);
    expect((await placeOrder(server, cookie, key, body)).status).toBe(201);

    const { answer, cost } = await measured(() => placeOrder(server, cookie, key, body));
    expect(answer.status).toBe(200);
    expect(tables(cost.statements)).toEqual(["SELECT IdempotencyRecord"]);
    expect(cost).toMatchObject({ commits: 0, batchedEvents: 1 });
  });

  it("an in-flight conflict costs the lookup and one price lookup by the record's unique order", async () => {
    const cookie = await signIn(server.url, uniqueName("budget-409"));
    const key = newKey();
    const body = order([{ productId: "green-tea", quantity: 1 }]);
    const slow = placeOrder(server, cookie, key, body, { "X-Fault": "delay:1000" });
    await expect.poll(() => t.db.idempotencyRecord.count({ where: { key } })).toBe(1);
    const { answer, cost } = await measured(() => placeOrder(server, cookie, key, body));
    expect(answer.status).toBe(409);
    expect(tables(cost.statements)).toEqual(["SELECT IdempotencyRecord", "SELECT Order"]);
    expect(cost).toMatchObject({ commits: 0, batchedEvents: 1 });
    expect((await slow).status).toBe(201);
  });

  it("a key reused for another request costs the lookup only", async () => {
    const cookie = await signIn(server.url, uniqueName("budget-422"));
    const key = newKey();
    expect((await placeOrder(server, cookie, key, order([{ productId: "green-tea", quantity: 1 }]))).status).toBe(201);
    const { answer, cost } = await measured(() =>
      placeOrder(server, cookie, key, order([{ productId: "green-tea", quantity: 2 }])),
    );
    expect(answer.status).toBe(422);
    expect(tables(cost.statements)).toEqual(["SELECT IdempotencyRecord"]);
    expect(cost).toMatchObject({ commits: 0, batchedEvents: 1 });
  });

  it("a suspected duplicate (a recent order of the intent) is one rolled-back phase: nothing committed", async () => {
    const cookie = await signIn(server.url, uniqueName("budget-dup"));
    const body = order([{ productId: "hand-grinder", quantity: 1 }]);
    const first = await placeOrder(server, cookie, newKey(), body);
    expect(first.status).toBe(201);
    const { answer, cost } = await measured(() => placeOrder(server, cookie, newKey(), body));
    expect(answer.status).toBe(409);
    expect(answer.error.data).toMatchObject({ reason: "DUPLICATE_INTENT_SUSPECTED", orderId: first.data.orderId });
    expect(tables(cost.statements)).toEqual([
      "SELECT IdempotencyRecord",
      "INSERT IdempotencyRecord",
      "SELECT Order",
      // the event prices the refused duplicate from its order
      "SELECT Order",
    ]);
    expect(cost).toMatchObject({ commits: 0, rollbacks: 1, batchedEvents: 1 });
  });

  it("not enough stock is one rolled-back phase: nothing committed, nothing left behind", async () => {
    const cookie = await signIn(server.url, uniqueName("budget-stock"));
    await t.db.product.update({ where: { id: "milk-frother" }, data: { stock: 1 } });
    const { answer, cost } = await measured(() =>
      placeOrder(server, cookie, newKey(), order([{ productId: "milk-frother", quantity: 2 }])),
    );
    expect(answer.status).toBe(409);
    expect(answer.error.data).toMatchObject({ reason: "INSUFFICIENT_STOCK" });
    expect(cost).toMatchObject({ commits: 0, rollbacks: 1, batchedEvents: 1 });
    expect(tables(cost.statements).slice(0, 4)).toEqual([
      "SELECT IdempotencyRecord",
      "INSERT IdempotencyRecord",
      "SELECT Order",
      "UPDATE Product",
    ]);
  });

  it("bad input and a bad key touch no table but the batched event", async () => {
    const cookie = await signIn(server.url, uniqueName("budget-400"));
    for (const [key, body] of [
      [newKey(), { items: [], payment: { token: "tok_visa" } }],
      ["not-a-uuid", order([{ productId: "ceramic-mug", quantity: 1 }])],
    ] as const) {
      const { answer, cost } = await measured(() => placeOrder(server, cookie, key, body));
      expect(answer.status).toBe(400);
      expect(cost).toMatchObject({ commits: 0, batchedEvents: 1, statements: [] });
    }
  });

  it("an anonymous keyed request touches no table at all", async () => {
    const { answer, cost } = await measured(() => placeOrder(server, "", newKey()));
    expect(answer.status).toBe(401);
    expect(cost).toMatchObject({ commits: 0, batchedEvents: 0, statements: [] });
  });
});
