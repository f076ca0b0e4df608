import { expect, type Page, test } from "@playwright/test";
import {
  addToCart,
  attachScreenshot,
  expectAuditClean,
  expectExactlyOnePaidOrder,
  openCheckout,
  payButton,
  recordCheckoutRequests,
  signIn,
  uniqueShopper,
} from "./support/shop";

/**
 * Waits for the final answer. After a crash the lease is held (3 s in e2e), so the client's 5 attempts may
 * end before it expires; the page then says so, and paying again resumes the very same key.
 */
async function settle(page: Page): Promise<void> {
  const confirmed = page.getByTestId("order-detail");
  const unconfirmed = page.getByText(/could not confirm your payment/);
  await expect(confirmed.or(unconfirmed)).toBeVisible({ timeout: 20_000 });
  if (await unconfirmed.isVisible()) await payButton(page).click();
  await expect(confirmed).toHaveAttribute("data-status", "PAID");
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
    await expect(page.getByTestId("checkout-status")).toContainText("retrying safely (attempt 2 of 5)");
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
