import { expect, test } from "@playwright/test";
import {
  addToCart,
  attachScreenshot,
  expectAuditClean,
  expectConfirmation,
  openCheckout,
  ordersOf,
  payButton,
  recordCheckoutRequests,
  signIn,
  uniqueShopper,
} from "./support/shop";

test("a declined card, then a good one: one failed and one paid order", async ({ page, browser }, testInfo) => {
  await signIn(page, uniqueShopper("declined"));
  await addToCart(page, "pour-over-kettle", 1);
  const sent = recordCheckoutRequests(page);
  await openCheckout(page);
  await page.getByRole("radio", { name: /Card that declines/ }).check();
  await payButton(page).click();
  await expect(page.getByTestId("checkout-notice")).toContainText("Your card was declined and nothing was charged");
  // A declined attempt, not a created order: no green "created" on the timeline.
  await expect(page.getByTestId("attempt")).toHaveCount(1);
  await expect(page.getByTestId("attempt")).toHaveAttribute("data-outcome", "declined");
  await expect(page.getByTestId("attempt")).toContainText("declined, not charged");
  await expect(page.getByTestId("attempt")).not.toContainText("created");
  await attachScreenshot(page, testInfo, "checkout-declined");

  await page.getByRole("radio", { name: /Visa ending 4242/ }).check();
  await payButton(page).click();
  const paidId = await expectConfirmation(page);
  await attachScreenshot(page, testInfo, "confirmation");

  // A new card is a new intent: a new key.
  expect(sent).toHaveLength(2);
  expect(sent[0]?.key).not.toBe(sent[1]?.key);
  const orders = await ordersOf(page);
  expect(orders.map((o) => [o.status, o.paymentToken, o.payment?.status]).sort()).toEqual([
    ["PAID", "tok_visa", "SUCCEEDED"],
    ["PAYMENT_FAILED", "tok_declined", "DECLINED"],
  ]);
  expect(orders.find((o) => o.status === "PAID")?.id).toBe(paidId);
  await page.goto("/orders");
  await expect(page.getByTestId("order-row")).toHaveCount(2);
  await expect(page.getByTestId("order-row").filter({ hasText: "Declined, not charged" })).toHaveCount(1);
  // The declined order's page: no charge id next to "Declined, not charged".
  const declinedId = orders.find((o) => o.status === "PAYMENT_FAILED")?.id;
  await page.goto(`/orders/${declinedId}`);
  await expect(page.getByTestId("payment-state")).toHaveText("Declined, not charged");
  await expect(page.getByTestId("charge-id")).toHaveCount(0);
  await expectAuditClean(browser);
});
