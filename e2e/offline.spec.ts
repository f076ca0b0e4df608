import { expect, test } from "@playwright/test";
import {
  addToCart,
  expectAuditClean,
  expectConfirmation,
  expectExactlyOnePaidOrder,
  openCheckout,
  payButton,
  recordCheckoutRequests,
  signIn,
  uniqueShopper,
} from "./support/shop";

test("going offline mid-checkout, then online again, ends in one order with the same key", async ({
  page,
  context,
  browser,
}) => {
  await signIn(page, uniqueShopper("offline"));
  await addToCart(page, "hand-grinder", 1);
  const sent = recordCheckoutRequests(page);
  let routed = 0;
  await page.route("**/api/trpc/checkout.placeOrder", async (route) => {
    routed++;
    if (routed > 1) return route.continue();
    // The request reached the server; the connection dies before the answer arrives.
    await route.fetch();
    await context.setOffline(true);
    await route.abort("internetdisconnected");
  });
  await openCheckout(page);
  await payButton(page).click();

  await expect(page.getByTestId("checkout-status")).toHaveText(/Connection lost, retrying safely \(attempt 2 of 5\)/);
  await expect.poll(() => page.evaluate(() => navigator.onLine)).toBe(false);
  // While offline the client waits for the connection instead of burning its attempts.
  expect(sent).toHaveLength(1);
  await context.setOffline(false);

  await expectConfirmation(page);
  expect(sent).toHaveLength(2);
  expect(sent[1]?.key).toBe(sent[0]?.key);
  await expectExactlyOnePaidOrder(page);
  await expectAuditClean(browser);
});
