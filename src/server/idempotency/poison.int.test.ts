import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "@/server/admin/audit";
import { stats } from "@/server/admin/stats";
import type { PaymentProvider } from "@/server/payments/provider";
import { recoverOnce } from "@/server/recovery-worker";
import { type Harness, newKey, order, placeOrder, startHarness } from "@/test/app-harness";
import { providers } from "@/test/test-db";

const MAX_FAILURES = 3;

/** A provider client with a deterministic bug: every charge throws (not a transient failure). */
class BrokenProvider implements PaymentProvider {
  broken = false;
  constructor(private readonly inner: PaymentProvider) {}
  charge: PaymentProvider["charge"] = async (request) => {
    if (this.broken) throw new Error("provider client bug: cannot serialise the charge");
    return this.inner.charge(request);
  };
  retrieve: PaymentProvider["retrieve"] = (key) => this.inner.retrieve(key);
}

/**
 * Poison records: a resumption that fails the same way every time is given up after RECOVERY_MAX_FAILURES
 * (here 3) instead of being retried forever; the record's final answer is a stored refusal that is
 * replayed, its order is cancelled and its stock released, and the audit and the dashboard show it.
 */
describe.each(providers)("poison records on %s", (provider) => {
  let h: Harness;
  let broken: BrokenProvider;
  beforeAll(async () => {
    h = await startHarness(provider, {
      engine: { leaseMs: 300, maxFailures: MAX_FAILURES },
      provider: (simulated) => {
        broken = new BrokenProvider(simulated);
        return broken;
      },
    });
  });
  afterAll(() => h?.close());

  it("abandons the record after the configured failures, cancels the order, releases stock, replays the refusal", async () => {
    const cookie = await h.shopper("poison");
    const key = newKey();
    const stockBefore = (await h.db.product.findUniqueOrThrow({ where: { id: "hand-grinder" } })).stock;
    broken.broken = true;
    const first = await placeOrder(h, cookie, key, order([{ productId: "hand-grinder", quantity: 2 }]));
    expect(first.status).toBe(500);
    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(record).toMatchObject({ status: "IN_PROGRESS", recoveryPoint: "ORDER_CREATED", failures: 1 });
    expect((await h.db.product.findUniqueOrThrow({ where: { id: "hand-grinder" } })).stock).toBe(stockBefore - 2);

    // The worker tries again while the bug lasts; the third failure is the last.
    const second = await recoverOnce(h.services);
    expect(second).toMatchObject({ failed: 1, abandoned: 0 });
    const third = await recoverOnce(h.services);
    expect(third).toMatchObject({ failed: 0, abandoned: 1 });

    const final = await h.db.idempotencyRecord.findUniqueOrThrow({ where: { id: record.id } });
    expect(final).toMatchObject({ status: "COMPLETED", recoveryPoint: "ABANDONED", responseStatus: 500, failures: 3 });
    const cancelled = await h.db.order.findFirstOrThrow({ where: { idempotencyRecordId: record.id } });
    expect(cancelled.status).toBe("CANCELLED");
    expect((await h.db.product.findUniqueOrThrow({ where: { id: "hand-grinder" } })).stock).toBe(stockBefore);
    expect(await h.db.providerCharge.count({ where: { providerKey: `${record.id}:charge` } })).toBe(0);
    const events = await h.db.requestEvent.findMany({ where: { recordId: record.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.reason)).toContain("RECOVERY_ABANDONED");

    // Even once the bug is fixed, the key's answer is final: the stored refusal, replayed.
    broken.broken = false;
    const replay = await placeOrder(h, cookie, key, order([{ productId: "hand-grinder", quantity: 2 }]));
    expect(replay.status).toBe(500);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("retry-after")).toBeNull();
    expect(replay.error.data).toMatchObject({ reason: "RECOVERY_ABANDONED", retryable: false, recordId: record.id });
    expect(await recoverOnce(h.services)).toMatchObject({ recovered: 0, failed: 0, abandoned: 0 });
    expect(await h.db.order.count({ where: { idempotencyRecordId: record.id } })).toBe(1);

    const report = await audit(h.db);
    const violated = report.invariants.filter((i) => i.violations > 0);
    expect(violated.map((i) => [i.name, i.ids])).toEqual([["no_abandoned_records", [record.id]]]);
    const dashboard = await stats(h.db, { window: "1h" });
    expect(dashboard.abandonedRecords).toBe(1);
    expect(dashboard.orders.cancelled).toBe(1);
  });

  it("a failure that is transient does not count towards abandonment", async () => {
    const cookie = await h.shopper("not-poison");
    const key = newKey();
    const answer = await placeOrder(h, cookie, key, order([{ productId: "ceramic-mug", quantity: 1 }]), {
      "x-fault": "db-busy",
    });
    expect(answer.status).toBe(503);
    const record = await h.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    expect(record.failures).toBe(0);
    expect((await placeOrder(h, cookie, key, order([{ productId: "ceramic-mug", quantity: 1 }]))).status).toBe(201);
  });
});
