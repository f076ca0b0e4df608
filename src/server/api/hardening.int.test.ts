import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, newKey, order, placeOrder, rowCounts, startHarness } from "@/test/app-harness";
import { call } from "@/test/http-client";
import { providers } from "@/test/test-db";

const mug = (quantity = 1) => order([{ productId: "ceramic-mug", quantity }]);

/** Key header forms, batch refusal, the retryable flag and the client-report limit, over HTTP on each database. */
describe.each(providers)("hardened contract on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(provider);
  });
  afterAll(() => h?.close());

  it("takes the Idempotency-Key header bare or as a structured-field string: the same key", async () => {
    const cookie = await h.shopper("sf");
    const key = newKey();
    const quoted = await placeOrder(h, cookie, undefined, mug(), { "idempotency-key": `"${key}"` });
    expect(quoted.status).toBe(201);
    expect(quoted.headers.get("idempotency-key")).toBe(key);
    const bare = await placeOrder(h, cookie, undefined, mug(), { "idempotency-key": key });
    expect(bare.status).toBe(200);
    expect(bare.headers.get("idempotent-replayed")).toBe("true");
    expect(bare.data.orderId).toBe(quoted.data.orderId);
    expect(await h.db.order.count({ where: { idempotencyRecord: { key } } })).toBe(1);
  });

  it("refuses a malformed quoted key with 400 KEY_INVALID and writes nothing", async () => {
    const cookie = await h.shopper("sf-bad");
    const before = await rowCounts(h);
    for (const value of [`"${newKey()}" junk`, `"${newKey()}`, `"${newKey()}";p=1`, `"\\x${newKey()}"`]) {
      const answer = await placeOrder(h, cookie, undefined, mug(), { "idempotency-key": value });
      expect(answer.status, value).toBe(400);
      expect(answer.error.data.reason, value).toBe("KEY_INVALID");
      expect(answer.error.data.retryable).toBe(false);
    }
    expect(await rowCounts(h)).toEqual(before);
  });

  it("refuses keyed mutations inside a tRPC batch with 400 KEYED_CALL_IN_BATCH and writes nothing", async () => {
    const cookie = await h.shopper("batch");
    const before = { rows: await rowCounts(h), events: await h.db.requestEvent.count() };
    const res = await fetch(`${h.url}/api/trpc/checkout.placeOrder,cart.addItem?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({
        0: { idempotencyKey: newKey(), ...mug() },
        1: { idempotencyKey: newKey(), productId: "ceramic-mug", quantity: 1 },
      }),
    });
    const body = (await res.json()) as { error: { message: string; data: { reason: string; retryable: boolean } } }[];
    expect(res.status).toBe(400);
    expect(body.map((b) => b.error.data.reason)).toEqual(["KEYED_CALL_IN_BATCH", "KEYED_CALL_IN_BATCH"]);
    expect(body[0]?.error.message).toMatch(/cannot be batched/);
    expect(body[0]?.error.data.retryable).toBe(false);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect({ rows: await rowCounts(h), events: await h.db.requestEvent.count() }).toEqual(before);
  });

  it("puts Retry-After only on retryable refusals; the others say retryable: false", async () => {
    const cookie = await h.shopper("retryable");
    await h.db.product.update({ where: { id: "hand-grinder" }, data: { stock: 1, initialStock: 1 } });
    const tooMany = await placeOrder(h, cookie, newKey(), order([{ productId: "hand-grinder", quantity: 2 }]));
    expect(tooMany.status).toBe(409);
    expect(tooMany.error.data).toMatchObject({ reason: "INSUFFICIENT_STOCK", retryable: false });
    expect(tooMany.headers.get("retry-after")).toBeNull();

    expect((await placeOrder(h, cookie, newKey(), mug(1))).status).toBe(201);
    const repeat = await placeOrder(h, cookie, newKey(), mug(1));
    expect(repeat.status).toBe(409);
    expect(repeat.error.data).toMatchObject({ reason: "DUPLICATE_INTENT_SUSPECTED", retryable: false });
    expect(repeat.headers.get("retry-after")).toBeNull();

    const key = newKey();
    const [slow, twin] = await Promise.all([
      placeOrder(h, cookie, key, mug(2), { "x-fault": "delay:800" }),
      (async () => {
        await expect.poll(() => h.db.idempotencyRecord.count({ where: { key } })).toBe(1);
        return placeOrder(h, cookie, key, mug(2));
      })(),
    ]);
    expect(slow.status).toBe(201);
    expect(twin.status).toBe(409);
    expect(twin.error.data).toMatchObject({ reason: "REQUEST_IN_PROGRESS", retryable: true });
    expect(Number(twin.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("rate-limits client reports per session: 429 with Retry-After beyond the limit, no row for those", async () => {
    const cookie = await h.shopper("reports");
    const report = () =>
      call(
        h.url,
        "events.reportClient",
        { kind: "CLIENT_RETRY", operation: "cart.addItem", key: newKey() },
        { cookie },
      );
    const answers = [];
    for (let i = 0; i < 35; i++) answers.push(await report());
    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    expect(statuses.slice(30)).toEqual(Array(5).fill(429));
    const refused = answers[30];
    expect(refused?.error.data).toMatchObject({ reason: "RATE_LIMITED", retryable: true });
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await h.db.requestEvent.count({ where: { outcome: "CLIENT_RETRY", operation: "cart.addItem" } })).toBe(30);
    // Another session has its own allowance.
    const other = await h.shopper("reports-2");
    const theirs = await call(
      h.url,
      "events.reportClient",
      { kind: "CLIENT_DEDUPED", operation: "checkout.placeOrder", key: newKey() },
      { cookie: other },
    );
    expect(theirs.status).toBe(200);
  });
});
