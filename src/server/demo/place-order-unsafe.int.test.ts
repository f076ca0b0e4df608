import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServices } from "@/server/services";
import { call, signIn, uniqueName } from "@/test/http-client";
import { type RunningServer, startHttpServer } from "@/test/http-server";
import { createTestDatabase, providers, type TestDatabase } from "@/test/test-db";

const order = { items: [{ productId: "ceramic-mug", quantity: 1 }], payment: { token: "tok_visa" } };

describe.each(providers)("checkout.placeOrderUnsafe (the demo baseline) on %s", (provider) => {
  let t: TestDatabase;
  let withFaults: RunningServer;
  let production: RunningServer;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    withFaults = await startHttpServer(createServices({ db: t.db, faultsEnabled: true }));
    production = await startHttpServer(createServices({ db: t.db, faultsEnabled: false }));
  });
  afterAll(async () => {
    await withFaults?.close();
    await production?.close();
    await t?.drop();
  });

  it("really charges twice for the same intent sent twice: two orders, two payments, two provider charges", async () => {
    const name = uniqueName("unsafe");
    const cookie = await signIn(withFaults.url, name);
    const [a, b] = await Promise.all([
      call(withFaults.url, "checkout.placeOrderUnsafe", order, { cookie }),
      call(withFaults.url, "checkout.placeOrderUnsafe", order, { cookie }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.data.orderId).not.toBe(b.data.orderId);
    expect(a.data.chargeId).not.toBe(b.data.chargeId);

    const orders = await t.db.order.findMany({
      where: { id: { in: [a.data.orderId, b.data.orderId] } },
      select: { status: true, idempotencyRecordId: true, payment: { select: { chargeId: true } } },
    });
    expect(orders).toHaveLength(2);
    expect(orders.every((o) => o.status === "PAID" && o.idempotencyRecordId === null && o.payment)).toBe(true);
    const charges = await t.db.providerCharge.findMany({
      where: { id: { in: [a.data.chargeId, b.data.chargeId] } },
      select: { providerKey: true, status: true },
    });
    expect(charges).toHaveLength(2);
    expect(charges.every((c) => c.status === "SUCCEEDED" && c.providerKey.startsWith("unsafe:"))).toBe(true);
    expect(await t.db.idempotencyRecord.count({ where: { user: { name } } })).toBe(0);
    const events = await t.db.requestEvent.count({
      where: { operation: "checkout.placeOrderUnsafe", outcome: "UNSAFE_EXECUTED" },
    });
    expect(events).toBeGreaterThanOrEqual(2);
  });

  it("is refused with 404 NOT_FOUND when faults are off, and writes nothing", async () => {
    const name = uniqueName("prod");
    const cookie = await signIn(production.url, name);
    const before = await t.db.order.count();
    const refused = await call(production.url, "checkout.placeOrderUnsafe", order, { cookie });
    expect(refused.status).toBe(404);
    expect(refused.error.data.reason).toBe("NOT_FOUND");
    expect(await t.db.order.count()).toBe(before);
    expect(await t.db.providerCharge.count({ where: { providerKey: { startsWith: "unsafe:" } } })).toBe(2);
  });

  it("needs a session", async () => {
    const anonymous = await call(withFaults.url, "checkout.placeOrderUnsafe", order);
    expect(anonymous.status).toBe(401);
  });

  it("reports the demo config so the UI shows its controls only when faults are on", async () => {
    const on = await fetch(`${withFaults.url}/api/trpc/demo.config`).then((r) => r.json());
    const off = await fetch(`${production.url}/api/trpc/demo.config`).then((r) => r.json());
    expect(on.result.data).toEqual({ faultsEnabled: true });
    expect(off.result.data).toEqual({ faultsEnabled: false });
  });
});
