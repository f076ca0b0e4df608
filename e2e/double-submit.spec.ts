import { expect, test } from "@playwright/test";
import {
  attachScreenshot,
  expectAuditClean,
  expectConfirmation,
  expectExactlyOnePaidOrder,
  openCheckout,
  payButton,
  recordCheckoutRequests,
  signIn,
  uniqueShopper,
} from "./support/shop";

/** Holds the first checkout request at the network until released, so both inputs surely race it. */
async function holdFirstCheckout(page: import("@playwright/test").Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/trpc/checkout.placeOrder", async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test("a double click on Pay places exactly one order", async ({ page, browser }, testInfo) => {
  await signIn(page, uniqueShopper("dblclick"));
  // Through the shop UI: the keyed cart.addItem with one key per add intent.
  await page.goto("/");
  await page.getByRole("button", { name: "Add Ceramic Mug to cart" }).click();
  await expect(page.getByText("Added: 1 × Ceramic Mug in your cart")).toBeVisible();
  await expect(page.getByTestId("cart-count")).toContainText("1");
  const sent = recordCheckoutRequests(page);
  const release = await holdFirstCheckout(page);
  await openCheckout(page);
  await attachScreenshot(page, testInfo, "checkout");

  await payButton(page).dblclick();
  await expect(page.getByTestId("attempt").and(page.locator('[data-outcome="deduped"]'))).toHaveCount(1);
  // The timeline shows the request in flight next to the click it absorbed.
  await expect(page.getByTestId("attempt").and(page.locator('[data-outcome="in-flight"]'))).toHaveCount(1);
  await attachScreenshot(page, testInfo, "in-flight-and-absorbed-click");
  release();

  const orderId = await expectConfirmation(page);
  await attachScreenshot(page, testInfo, "confirmation");
  expect(sent, "one request left the browser").toHaveLength(1);
  const order = await expectExactlyOnePaidOrder(page);
  expect(order.id).toBe(orderId);
  await page.goto("/orders");
  await expect(page.getByTestId("order-row")).toHaveCount(1);
  await expectAuditClean(browser);
});

test("Enter then click on Pay places exactly one order", async ({ page, browser }) => {
  await signIn(page, uniqueShopper("enter-click"));
  await page.goto("/");
  await page.getByRole("button", { name: "Add Paper Filters (100) to cart" }).click();
  await expect(page.getByText(/Added: 1 × Paper Filters/)).toBeVisible();
  const sent = recordCheckoutRequests(page);
  const release = await holdFirstCheckout(page);
  await openCheckout(page);

  await payButton(page).focus();
  await page.keyboard.press("Enter");
  await expect(payButton(page)).toHaveText("Paying…");
  await payButton(page).click();
  await expect(page.getByTestId("attempt").and(page.locator('[data-outcome="deduped"]'))).toHaveCount(1);
  release();

  await expectConfirmation(page);
  expect(sent).toHaveLength(1);
  await expectExactlyOnePaidOrder(page);
  await expectAuditClean(browser);
});
