import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { createServices } from "@/server/services";
import { newKey, order, placeOrder } from "@/test/app-harness";
import { signIn, uniqueName } from "@/test/http-client";
import { type RunningServer, startHttpServer } from "@/test/http-server";
import { createTestDatabase, providers, type TestDatabase } from "@/test/test-db";

/**
 * A replay must stay cheap: one round trip for the record lookup by its unique (userId, key), plus the
 * event write. Counted from Prisma's query events, so a regression (an extra read, a transaction) fails.
 */
describe.each(providers)("query budget on %s", (provider) => {
  let t: TestDatabase;
  let counted: Db;
  let server: RunningServer;
  let queries: string[] = [];
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    counted = createDb(t.url, { onQuery: (q) => queries.push(q.query) });
    server = await startHttpServer(createServices({ db: counted, faultsEnabled: true }));
  });
  afterAll(async () => {
    await server?.close();
    await counted?.$disconnect();
    await t?.drop();
  });

  it("a replay costs one record lookup plus the event write", async () => {
    const cookie = await signIn(server.url, uniqueName("budget"));
    const key = newKey();
    const body = order([{ productId: "ceramic-mug", quantity: 1 }]);
    expect((await placeOrder(server, cookie, key, body)).status).toBe(201);

    queries = [];
    const replay = await placeOrder(server, cookie, key, body);
    expect(replay.status).toBe(200);
    const statements = queries.filter((q) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(q.trim()));
    expect(statements, statements.join("\n")).toHaveLength(2);
    expect(statements[0]).toMatch(/SELECT[\s\S]*["`]IdempotencyRecord["`]/i);
    expect(statements[1]).toMatch(/INSERT INTO[\s\S]*["`]RequestEvent["`]/i);
    expect(
      queries.some((q) => /^BEGIN/i.test(q.trim())),
      "a replay opens no transaction",
    ).toBe(false);
  });

  it("an in-flight conflict costs the lookup, one price lookup by the record's unique order, and the event", async () => {
    const cookie = await signIn(server.url, uniqueName("budget-409"));
    const key = newKey();
    const body = order([{ productId: "green-tea", quantity: 1 }]);
    const slow = placeOrder(server, cookie, key, body, { "X-Fault": "delay:1000" });
    await expect.poll(() => t.db.idempotencyRecord.count({ where: { key } })).toBe(1);
    queries = [];
    const twin = await placeOrder(server, cookie, key, body);
    expect(twin.status).toBe(409);
    const statements = queries.filter((q) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(q.trim()));
    expect(statements, statements.join("\n")).toHaveLength(3);
    expect(statements[0]).toMatch(/SELECT[\s\S]*["`]IdempotencyRecord["`]/i);
    expect(statements[1]).toMatch(/SELECT[\s\S]*["`]Order["`]/i);
    expect(statements[2]).toMatch(/INSERT INTO[\s\S]*["`]RequestEvent["`]/i);
    expect((await slow).status).toBe(201);
  });
});
