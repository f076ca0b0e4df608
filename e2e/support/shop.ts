import { randomUUID } from "node:crypto";
import { type Browser, expect, type Page, type Request, type TestInfo } from "@playwright/test";
import { HEADERS, OPERATIONS } from "../../src/shared/names";
import { E2E_ADMIN_PASSWORD } from "./secrets";

export { E2E_ADMIN_PASSWORD } from "./secrets";

export const PLACE_ORDER = `/api/trpc/${OPERATIONS.placeOrder}`;
export const PLACE_ORDER_UNSAFE = `/api/trpc/${OPERATIONS.placeOrderUnsafe}`;

export const uniqueShopper = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;

type Trpc<T> = { result?: { data: T }; error?: { message: string; data?: { reason?: string } } };

async function trpcData<T>(response: { ok(): boolean; json(): Promise<unknown>; status(): number }): Promise<T> {
  const body = (await response.json()) as Trpc<T>;
  if (!response.ok() || !body.result)
    throw new Error(`tRPC call failed (${response.status()}): ${JSON.stringify(body)}`);
  return body.result.data;
}

/** Signs the page's browser context in (page.request shares the context's cookies). */
export async function signIn(page: Page, name: string, adminPassword?: string): Promise<void> {
  const res = await page.request.post("/api/trpc/session.signIn", {
    data: { name, ...(adminPassword ? { adminPassword } : {}) },
  });
  expect(res.status()).toBe(200);
}

/** Puts a line in the cart through the keyed API (one fresh key: one add intent). */
export async function addToCart(page: Page, productId: string, quantity = 1): Promise<void> {
  const res = await page.request.post("/api/trpc/cart.addItem", {
    data: { idempotencyKey: randomUUID(), productId, quantity },
  });
  expect(res.status()).toBe(201);
}

export type OrderView = {
  id: string;
  status: "PAID" | "PAYMENT_FAILED" | "PENDING_PAYMENT";
  totalCents: number;
  paymentToken: string;
  items: { productId: string; quantity: number }[];
  payment: { chargeId: string; status: "SUCCEEDED" | "DECLINED" } | null;
};

/** The shopper's orders as the server has them (not what the page says). */
export async function ordersOf(page: Page): Promise<OrderView[]> {
  return trpcData<OrderView[]>(await page.request.get("/api/trpc/orders.list"));
}

type Audit = { ok: boolean; invariants: { name: string; violations: number; ids: string[] }[] };

/** Runs fn with a page of a separate admin browser context (signed in as a fresh admin). */
async function asAdmin<T>(browser: Browser, fn: (page: Page) => Promise<T>): Promise<T> {
  const admin = await browser.newContext();
  try {
    const page = await admin.newPage();
    await signIn(page, uniqueShopper("auditor"), E2E_ADMIN_PASSWORD);
    return await fn(page);
  } finally {
    await admin.close();
  }
}

const auditOf = async (page: Page) => trpcData<Audit>(await page.request.get("/api/trpc/admin.audit"));

/** admin.audit's violated invariants, by name, with the offending ids. */
export const auditViolations = (browser: Browser): Promise<Record<string, string[]>> =>
  asAdmin(browser, async (page) =>
    Object.fromEntries((await auditOf(page)).invariants.filter((i) => i.violations > 0).map((i) => [i.name, i.ids])),
  );

/**
 * admin.audit from a separate admin browser context: every invariant of docs/protocol.md section 6 (one order per key,
 * one payment per order, one charge per provider key, charges = payments = PAID orders, stock) holds.
 * Polled, because an attempt still holding its lease is work under way, not yet a final state.
 */
export function expectAuditClean(browser: Browser): Promise<void> {
  return asAdmin(browser, async (page) => {
    let last: Audit | null = null;
    await expect
      .poll(
        async () => {
          last = await auditOf(page);
          return last.invariants.filter((i) => i.violations > 0).map((i) => `${i.name}: ${i.ids.join(",")}`);
        },
        { message: "admin.audit reports no violated invariant", timeout: 15_000 },
      )
      .toEqual([]);
    expect(last).toMatchObject({ ok: true });
  });
}

export type SentAttempt = { key: string | null; attempt: string | null; fault: string | null; request: Request };

/** Every checkout request that leaves this page, with its idempotency key and retry headers. */
export function recordCheckoutRequests(page: Page): SentAttempt[] {
  const sent: SentAttempt[] = [];
  page.on("request", (request) => {
    const url = request.url();
    if (!url.includes(PLACE_ORDER) || request.method() !== "POST") return;
    const body: unknown = request.postDataJSON();
    const key =
      typeof body === "object" && body !== null && "idempotencyKey" in body ? String(body.idempotencyKey) : null;
    const headers = request.headers();
    sent.push({
      key,
      attempt: headers[HEADERS.retryAttempt.toLowerCase()] ?? null,
      fault: headers[HEADERS.fault.toLowerCase()] ?? null,
      request,
    });
  });
  return sent;
}

/** The exactly-once check of one intent: one order, PAID, with its one successful charge. */
export async function expectExactlyOnePaidOrder(page: Page): Promise<OrderView> {
  const orders = await ordersOf(page);
  expect(orders, "orders of this shopper").toHaveLength(1);
  const [order] = orders;
  expect(order?.status).toBe("PAID");
  expect(order?.payment?.status).toBe("SUCCEEDED");
  if (!order) throw new Error("unreachable");
  return order;
}

/** A full-page screenshot kept in test-results/<test>/ and attached to the report. */
export async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** Opens the checkout for a cart that is ready to pay. */
export async function openCheckout(page: Page): Promise<void> {
  await page.goto("/checkout");
  await expect(payButton(page)).toBeVisible();
}

export const payButton = (page: Page) => page.getByTestId("pay");

/** The order confirmation page of a placed order. */
export async function expectConfirmation(page: Page): Promise<string> {
  await expect(page).toHaveURL(/\/orders\/[^/]+$/);
  const detail = page.getByTestId("order-detail");
  await expect(detail).toHaveAttribute("data-status", "PAID");
  await expect(page.getByRole("heading", { name: "Thank you, your order is confirmed" })).toBeVisible();
  return (await detail.getAttribute("data-order-id")) ?? "";
}
