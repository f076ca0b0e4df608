import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "@/server/admin/audit";
import { wrapSql } from "@/server/db";
import { SimulatedCrash } from "@/server/demo/faults";
import { runIdempotent } from "@/server/idempotency/engine";
import { Execution } from "@/server/idempotency/execution";
import { fingerprint } from "@/server/idempotency/fingerprint";
import { acquire } from "@/server/idempotency/record-store";
import type { PaymentProvider } from "@/server/payments/provider";
import { recoverOnce } from "@/server/recovery-worker";
import { createServices } from "@/server/services";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { providers } from "@/test/test-db";
import { createPendingOrder } from "./create-order";
import { PLACE_ORDER } from "./place-order";
import { canonicalOrderRequest, type PlaceOrderRequest, placeOrderRequest } from "./schema";

const LEASE_MS = 300;

/** A provider client that dies once right before the charge, like a process killed there. */
class DyingProvider implements PaymentProvider {
  dieOn: "before-charge" | null = null;
  constructor(private readonly inner: PaymentProvider) {}
  charge: PaymentProvider["charge"] = async (request) => {
    if (this.dieOn === "before-charge") {
      this.dieOn = null;
      throw new SimulatedCrash("before the provider charge");
    }
    return this.inner.charge(request);
  };
  retrieve: PaymentProvider["retrieve"] = (key) => this.inner.retrieve(key);
}

/**
 * One test per recovery point of checkout.placeOrder (docs/protocol.md section 4): the attempt dies there, then
 * nobody but the recovery worker (or a client retry) comes back, and the same single result is reached.
 */
describe.each(providers)("recovery points on %s", (provider) => {
  let h: Harness;
  let dying: DyingProvider;
  beforeAll(async () => {
    h = await startHarness(provider, {
      engine: { leaseMs: LEASE_MS },
      provider: (simulated) => {
        dying = new DyingProvider(simulated);
        return dying;
      },
    });
  });
  afterAll(() => h?.close());

  /** Runs the worker until it has finished a record (the dead attempt's lease must expire first). */
  const workerFinishes = () =>
    expect.poll(async () => (await recoverOnce(h.services)).recovered, { timeout: 10_000, interval: 100 }).toBe(1);

  async function expectExactlyOnce(key: string) {
    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(record).toMatchObject({ status: "COMPLETED", recoveryPoint: "FINISHED", responseStatus: 201 });
    const orders = await h.db.order.findMany({ where: { idempotencyRecordId: record.id }, include: { payment: true } });
    expect(orders).toHaveLength(1);
    expect(orders[0]?.status).toBe("PAID");
    expect(orders[0]?.payment).not.toBeNull();
    expect(await h.db.providerCharge.count({ where: { providerKey: `${record.id}:charge` } })).toBe(1);
    expect(JSON.parse(record.responseJson ?? "{}")).toMatchObject({ orderId: orders[0]?.id, status: "PAID" });
    return record;
  }

  /** A new key's Execution as the engine makes it: the record is written by its first phase (or by own()). */
  const newExecution = async (userId: string, key: string, request: ReturnType<typeof canonicalOrderRequest>) => {
    const acquired = await acquire(h.db, h.services.engine, {
      userId,
      key,
      operation: PLACE_ORDER,
      fingerprint: fingerprint(PLACE_ORDER, request),
      requestJson: JSON.stringify(request),
    });
    if (acquired.kind !== "new") throw new Error("expected a new record");
    const { record, draft } = acquired;
    return new Execution(h.db, h.services.engine, record.id, userId, record.leaseVersion, "STARTED", false, { draft });
  };
  const killedFirstPhase = (exec: Execution, userId: string, request: ReturnType<typeof canonicalOrderRequest>) =>
    exec.step("ORDER_CREATED", async (tx) => {
      await createPendingOrder(tx, {
        userId,
        recordId: exec.recordId,
        intentHash: "x",
        request,
        confirmedRepeat: false,
      });
      throw new Error("process killed inside the transaction");
    });

  it("STARTED: died right after writing the record on its own; the worker places the order once", async () => {
    const { cookie, userId } = await h.shopperWithId("p0");
    const key = newKey();
    const request = canonicalOrderRequest(placeOrderRequest.parse(order([{ productId: "ceramic-mug", quantity: 1 }])));
    // The demo's slow and busy faults write the record first (Execution.own), then the attempt dies.
    await (await newExecution(userId, key, request)).own();
    await workerFinishes();
    const record = await expectExactlyOnce(key);
    // The shopper's retry, whenever it comes, gets the worker's result.
    const retry = await placeOrder(h, cookie, key, request);
    expect(retry.status).toBe(200);
    expect(retry.data.orderId).toBe(JSON.parse(record.responseJson ?? "{}").orderId);
  });

  it("STARTED, new key: a first phase killed half-way leaves nothing behind (no record, no order, stock intact)", async () => {
    const { userId } = await h.shopperWithId("p0a");
    const key = newKey();
    const request = canonicalOrderRequest(placeOrderRequest.parse(order([{ productId: "hand-grinder", quantity: 2 }])));
    const stockBefore = (await h.db.product.findUniqueOrThrow({ where: { id: "hand-grinder" } })).stock;
    const exec = await newExecution(userId, key, request);
    await expect(killedFirstPhase(exec, userId, request)).rejects.toThrow("killed");
    expect(await h.db.idempotencyRecord.count({ where: { userId, key } })).toBe(0);
    expect(await h.db.order.count({ where: { userId } })).toBe(0);
    expect((await h.db.product.findUniqueOrThrow({ where: { id: "hand-grinder" } })).stock).toBe(stockBefore);
  });

  it("STARTED, record written first: a transaction killed half-way leaves it at STARTED; the worker finishes once", async () => {
    const { userId } = await h.shopperWithId("p0b");
    const key = newKey();
    const request = canonicalOrderRequest(placeOrderRequest.parse(order([{ productId: "hand-grinder", quantity: 2 }])));
    const stockBefore = (await h.db.product.findUniqueOrThrow({ where: { id: "hand-grinder" } })).stock;
    const exec = await newExecution(userId, key, request);
    await exec.own();
    await expect(killedFirstPhase(exec, userId, request)).rejects.toThrow("killed");
    expect(await h.db.order.count({ where: { idempotencyRecordId: exec.recordId } })).toBe(0);
    expect((await h.db.product.findUniqueOrThrow({ where: { id: "hand-grinder" } })).stock).toBe(stockBefore);
    expect((await h.db.idempotencyRecord.findUniqueOrThrow({ where: { id: exec.recordId } })).recoveryPoint).toBe(
      "STARTED",
    );
    await workerFinishes();
    await expectExactlyOnce(key);
    expect((await h.db.product.findUniqueOrThrow({ where: { id: "hand-grinder" } })).stock).toBe(stockBefore - 2);
  });

  it("ORDER_CREATED, before the charge: the worker charges once and finishes", async () => {
    const cookie = await h.shopper("p1");
    const key = newKey();
    dying.dieOn = "before-charge";
    const died = await placeOrder(h, cookie, key, order([{ productId: "green-tea", quantity: 1 }]));
    expect(died.status).toBe(502);
    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(record.recoveryPoint).toBe("ORDER_CREATED");
    expect(await h.db.providerCharge.count({ where: { providerKey: `${record.id}:charge` } })).toBe(0);
    await workerFinishes();
    await expectExactlyOnce(key);
  });

  it("ORDER_CREATED, after the charge (crash-after-charge): the worker finds the charge, no second one", async () => {
    const cookie = await h.shopper("p2");
    const key = newKey();
    const died = await placeOrder(h, cookie, key, order([{ productId: "cold-brew-jar", quantity: 1 }]), {
      "X-Fault": "crash-after-charge",
    });
    expect(died.status).toBe(502);
    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(record.recoveryPoint).toBe("ORDER_CREATED");
    expect(await h.db.providerCharge.count({ where: { providerKey: `${record.id}:charge` } })).toBe(1);
    expect(await h.db.payment.count({ where: { order: { idempotencyRecordId: record.id } } })).toBe(0);
    await workerFinishes();
    await expectExactlyOnce(key);
  });

  it("ORDER_CREATED, provider timed out after charging: a client retry resumes, no second charge", async () => {
    const cookie = await h.shopper("p3");
    const key = newKey();
    const body = order([{ productId: "milk-frother", quantity: 1 }]);
    const timedOut = await placeOrder(h, cookie, key, body, { "X-Fault": "provider-timeout-after-charge" });
    expect(timedOut.status).toBe(503);
    const retry = await placeOrder(h, cookie, key, body);
    expect(retry.status).toBe(201);
    await expectExactlyOnce(key);
  });

  /** Runs placeOrder on a client that dies when it opens its second transaction: after the charge, before the final phase. */
  async function dieBeforeFinalPhase(userId: string, key: string, request: PlaceOrderRequest) {
    let transactions = 0;
    const diesBeforeFinal = wrapSql(h.db, (sql) => ({
      ...sql,
      transaction: (work) => {
        transactions++;
        if (transactions === 2) throw new SimulatedCrash("before the final transaction");
        return sql.transaction(work);
      },
    }));
    const services = createServices({ db: diesBeforeFinal, engine: { leaseMs: LEASE_MS } });
    await expect(
      runIdempotent(diesBeforeFinal, services.engine, services.operations.placeOrder, { userId, key, input: request }),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(await h.db.providerCharge.count({ where: { providerKey: `${record.id}:charge` } })).toBe(1);
    expect(await h.db.payment.count({ where: { order: { idempotencyRecordId: record.id } } })).toBe(0);
    return record;
  }

  it("ORDER_CREATED, charged, died before the final transaction: the worker's repeat charge gets the original", async () => {
    const { userId } = await h.shopperWithId("p4");
    const key = newKey();
    const record = await dieBeforeFinalPhase(
      userId,
      key,
      placeOrderRequest.parse(order([{ productId: "travel-tumbler", quantity: 1 }])),
    );
    // The charge is not recorded on the record (no commit for it): the provider's record under our key is.
    expect(record.recoveryPoint).toBe("ORDER_CREATED");
    await workerFinishes();
    await expectExactlyOnce(key);
    const charge = await h.db.providerCharge.findUniqueOrThrow({ where: { providerKey: `${record.id}:charge` } });
    expect(charge.repeatsAnswered).toBe(1);
  });

  it("PAYMENT_CHARGED, as an earlier version left it: the worker looks the charge up and finishes once", async () => {
    const { userId } = await h.shopperWithId("p4b");
    const key = newKey();
    const record = await dieBeforeFinalPhase(
      userId,
      key,
      placeOrderRequest.parse(order([{ productId: "travel-tumbler", quantity: 1 }])),
    );
    await h.db.idempotencyRecord.update({ where: { id: record.id }, data: { recoveryPoint: "PAYMENT_CHARGED" } });
    await workerFinishes();
    await expectExactlyOnce(key);
    const charge = await h.db.providerCharge.findUniqueOrThrow({ where: { providerKey: `${record.id}:charge` } });
    expect(charge.repeatsAnswered).toBe(0);
  });

  it("FINISHED, response lost: nothing to recover, the retry replays", async () => {
    const cookie = await h.shopper("p5");
    const key = newKey();
    const body = order([{ productId: "almond-biscotti", quantity: 3 }]);
    expect((await placeOrder(h, cookie, key, body, { "X-Fault": "lose-response" })).status).toBe(504);
    expect((await recoverOnce(h.services)).recovered).toBe(0);
    expect((await placeOrder(h, cookie, key, body)).status).toBe(200);
    await expectExactlyOnce(key);
  });

  it("the worker and a client retry racing for the same expired record finish it once", async () => {
    const cookie = await h.shopper("p6");
    const key = newKey();
    const body = order([{ productId: "pour-over-kettle", quantity: 1 }]);
    expect((await placeOrder(h, cookie, key, body, { "X-Fault": "crash-after-charge" })).status).toBe(502);
    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    // Wait (on the condition) until the dead attempt's lease has expired.
    await expect
      .poll(
        async () =>
          (await h.db.idempotencyRecord.count({ where: { id: record.id, lockedUntil: { lte: new Date() } } })) === 1,
        { timeout: 5_000, interval: 50 },
      )
      .toBe(true);
    const [worker, ...clients] = await Promise.all([
      recoverOnce(h.services),
      placeOrder(h, cookie, key, body),
      placeOrder(h, cookie, key, body),
    ]);
    const winners = worker.recovered + clients.filter((c) => c.status === 201).length;
    expect(winners).toBe(1);
    await expect
      .poll(async () => (await h.db.idempotencyRecord.findUniqueOrThrow({ where: { id: record.id } })).status)
      .toBe("COMPLETED");
    await expectExactlyOnce(key);
    expect((await audit(h.db)).ok).toBe(true);
  });
});
