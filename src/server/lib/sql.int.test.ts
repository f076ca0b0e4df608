import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db, sqlOf } from "@/server/db";
import { isTransient } from "@/server/idempotency/transient";
import { createTestDatabase, providers, type TestDatabase } from "@/test/test-db";
import { dateOf, type Sql, type SqlClient } from "./sql";
import { isUniqueViolation, violatesUniqueOn } from "./unique-violation";

const PRODUCT = `SELECT "id", "stock" FROM "Product" WHERE "id" = $1`;
const stockOf = async (sql: SqlClient, id: string) => (await sql.rows<{ stock: number }>(PRODUCT, [id]))[0]?.stock;

/** The SQL path (sql.ts) on both databases, through a client made by createDb, as the engine uses it. */
describe.each(providers)("the SQL path on %s", (provider) => {
  let t: TestDatabase;
  let logged: string[] = [];
  let db: Db;
  let sql: Sql;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    db = createDb(t.url, { onQuery: (q) => logged.push(q.query) });
    sql = sqlOf(db);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await t?.drop();
  });

  it("binds $n by number, a placeholder used twice included, and returns rows keyed by column", async () => {
    const rows = await sql.rows<{ id: string; same: number }>(
      `SELECT "id", CASE WHEN "stock" >= $2 THEN $2 ELSE 0 END AS "same" FROM "Product" WHERE "id" = $1`,
      ["green-tea", 1],
    );
    expect(rows).toEqual([{ id: "green-tea", same: 1 }]);
  });

  it("writes dates in Prisma's own format, so the model API reads them back (and compares them) unchanged", async () => {
    const at = new Date("2026-11-30T12:34:56.789Z");
    const user = await db.user.create({ data: { name: "sql-dates" } });
    await sql.run(
      `INSERT INTO "Order" ("id", "userId", "status", "totalCents", "paymentToken", "intentHash", "confirmedRepeat",
        "createdAt", "updatedAt") VALUES ($1, $2, 'PAID', 100, 'tok_visa', 'h', $3, $4, $4)`,
      ["sql-dates-order", user.id, true, at],
    );
    const read = await db.order.findUniqueOrThrow({ where: { id: "sql-dates-order" } });
    expect(read.createdAt.toISOString()).toBe(at.toISOString());
    expect(read.confirmedRepeat).toBe(true);
    expect(await db.order.count({ where: { id: read.id, createdAt: { gte: at } } })).toBe(1);
    expect(await db.order.count({ where: { id: read.id, createdAt: { gt: at } } })).toBe(0);
    const [back] = await sql.rows<{ createdAt: unknown }>(`SELECT "createdAt" FROM "Order" WHERE "id" = $1`, [read.id]);
    expect(dateOf(back?.createdAt)?.toISOString()).toBe(at.toISOString());
  });

  it("commits a transaction that returns and rolls back one that throws", async () => {
    const before = await stockOf(sql, "ceramic-mug");
    const bump = `UPDATE "Product" SET "stock" = "stock" + 1 WHERE "id" = $1`;
    await sql.transaction((tx) => tx.run(bump, ["ceramic-mug"]));
    await expect(
      sql.transaction(async (tx) => {
        await tx.run(bump, ["ceramic-mug"]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await stockOf(sql, "ceramic-mug")).toBe((before ?? 0) + 1);
  });

  it("reports a unique violation as the model API's would be, naming its column", async () => {
    const user = await db.user.create({ data: { name: "sql-unique", nameKey: "sql-unique-key" } });
    const insert = `INSERT INTO "User" ("id", "name", "nameKey", "isAdmin", "createdAt") VALUES ($1, 'x', $2, $3, $4)`;
    const error = await sql.run(insert, [`${user.id}-2`, "sql-unique-key", false, new Date()]).catch((e) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(violatesUniqueOn(error, "nameKey")).toBe(true);
    expect(violatesUniqueOn(error, "id")).toBe(false);
    expect(isTransient(error)).toBe(false);
  });

  it("logs every statement it sends, BEGIN and COMMIT included, as the model API's query events", async () => {
    logged = [];
    await sql.transaction((tx) => tx.rows(PRODUCT, ["green-tea"]));
    expect(logged).toEqual(["BEGIN", PRODUCT, "COMMIT"]);
  });

  // Each database's own waits: on SQLite this process's one writer at a time, on PostgreSQL prepared statements.
  if (provider === "sqlite") {
    it("gives up waiting for a transaction to start after its max wait, as a transient failure, and leaks nothing", async () => {
      // SQLite: one writer per process at a time. The first transaction holds the line until the gate opens.
      const impatient = createDb(t.url, { transactionMaxWaitMs: 50 });
      try {
        let open: () => void = () => {};
        const gate = new Promise<void>((resolve) => {
          open = resolve;
        });
        const holding = sqlOf(impatient).transaction(() => gate);
        let ran = false;
        const refused = await sqlOf(impatient)
          .transaction(async () => {
            ran = true;
          })
          .catch((e) => e);
        expect(isTransient(refused)).toBe(true);
        open();
        await holding;
        // The refused transaction started late and was ended at once: the next one starts, and it never ran.
        expect(await sqlOf(impatient).transaction(async (tx) => stockOf(tx, "green-tea"))).toBeGreaterThan(0);
        expect(ran).toBe(false);
      } finally {
        await impatient.$disconnect();
      }
    });
  }

  if (provider === "postgresql") {
    it("prepares its statements once per connection (named)", async () => {
      // One connection (a transaction's): the statement sent twice is prepared once, under its name.
      const prepared = await sql.transaction(async (tx) => {
        await tx.rows(PRODUCT, ["green-tea"]);
        await tx.rows(PRODUCT, ["milk-frother"]);
        return tx.rows<{ name: string }>(`SELECT "name" FROM pg_prepared_statements WHERE "statement" = $1`, [PRODUCT]);
      });
      expect(prepared).toEqual([{ name: expect.stringMatching(/^rsc_[0-9a-f]{20}$/) }]);
    });
  }
});
