import { randomUUID } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import {
  addToCart,
  attachScreenshot,
  expectAuditClean,
  expectExactlyOnePaidOrder,
  openCheckout,
  ordersOf,
  payButton,
  recordCheckoutRequests,
  signIn,
  uniqueShopper,
} from "./support/shop";

/**
 * Waits for the final answer without a click. After a crash the lease is held (3 s in e2e), so the client's
 * 5 attempts may end before it expires; the page then watches the key with checkout.status until a retry or
 * the recovery worker has finished it, and lands on the confirmation by itself.
 */
async function settle(page: Page): Promise<void> {
  await expect(page.getByTestId("order-detail")).toHaveAttribute("data-status", "PAID", { timeout: 30_000 });
}

for (const fault of [
  { name: "Provider timeout after charge", slug: "provider-timeout", firstStatus: 503 },
  { name: "Crash after charge", slug: "crash", firstStatus: 502 },
]) {
  test(`${fault.name}: the card is charged exactly once`, async ({ page, browser }, testInfo) => {
    await signIn(page, uniqueShopper(fault.slug));
    await addToCart(page, "hand-grinder", 1);
    const sent = recordCheckoutRequests(page);
    const statuses: number[] = [];
    page.on("response", (r) => {
      if (r.url().includes("/api/trpc/checkout.placeOrder")) statuses.push(r.status());
    });
    await openCheckout(page);
    await page.getByRole("radio", { name: new RegExp(fault.name) }).check();
    await payButton(page).click();
    // The page retries with the same key. A retry waits a fully jittered backoff, which can be ~0 ms, so the
    // line of attempt 2 ("retrying safely") may already have given way to attempt 3's ("checking again safely").
    await expect(page.getByTestId("checkout-status")).toContainText(/safely \(attempt [2-5] of 5\)/);
    await attachScreenshot(page, testInfo, "checkout-retrying");

    await settle(page);
    testInfo.annotations.push({ type: "statuses seen by the page", description: statuses.join(" → ") });
    await attachScreenshot(page, testInfo, "confirmation");
    expect(statuses[0]).toBe(fault.firstStatus);
    expect(new Set(sent.map((s) => s.key)).size).toBe(1);
    const order = await expectExactlyOnePaidOrder(page);
    await expect(page.getByTestId("charge-id")).toHaveText(order.payment?.chargeId ?? "?");
    // charges_per_provider_key and charge_without_payment: the provider holds exactly this one charge.
    await expectAuditClean(browser);
  });
}

test("the order page tells a charged order that is still being finished from an uncharged one", async ({ page }) => {
  await signIn(page, uniqueShopper("charged-finishing"));
  await addToCart(page, "milk-frother", 1);
  // A plain HTTP client (no retries): the attempt dies right after the charge, holding its 3 s lease.
  const crashed = await page.request.post("/api/trpc/checkout.placeOrder", {
    headers: { "X-Fault": "crash-after-charge" },
    data: {
      idempotencyKey: randomUUID(),
      items: [{ productId: "milk-frother", quantity: 1 }],
      payment: { token: "tok_visa" },
    },
  });
  expect(crashed.status()).toBe(502);
  const [pending] = await ordersOf(page);
  expect(pending?.status).toBe("PENDING_PAYMENT");
  await page.goto(`/orders/${pending?.id}`);
  await expect(page.getByRole("heading", { name: "Payment received, finishing your order" })).toBeVisible();
  await expect(page.getByTestId("payment-state")).toHaveText("Charged, finishing your order");
  // The recovery worker finishes it once the lease is over; the page follows by itself.
  await expect(page.getByTestId("order-detail")).toHaveAttribute("data-status", "PAID", { timeout: 15_000 });
  await expect(page.getByTestId("payment-state")).toHaveText("Charged");
});
