import { expect, test } from "@playwright/test";
import {
  addToCart,
  expectAuditClean,
  expectConfirmation,
  expectExactlyOnePaidOrder,
  openCheckout,
  ordersOf,
  payButton,
  recordCheckoutRequests,
  signIn,
  uniqueShopper,
} from "./support/shop";

test("reloading the tab while the payment is in flight resumes it with the same key", async ({ page, browser }) => {
  await signIn(page, uniqueShopper("reload"));
  await addToCart(page, "ceramic-mug", 3);
  const sent = recordCheckoutRequests(page);
  await openCheckout(page);
  await page.getByRole("radio", { name: /Slow server/ }).check();
  const first = page.waitForRequest("**/api/trpc/checkout.placeOrder");
  await payButton(page).click();
  await first;
  const key = sent[0]?.key;
  expect(key).toMatch(/^[0-9a-f-]{36}$/);

  await page.reload();
  // The reloaded page says what it does, and asks the shop about the same key instead of paying again.
  await expect(page.getByTestId("checkout-notice")).toContainText("Resuming your earlier payment safely");
  await expectConfirmation(page);

  expect(new Set(sent.map((s) => s.key))).toEqual(new Set([key]));
  // The resumed page sent no fault: the fault was for the first attempt only.
  expect(sent.slice(1).every((s) => s.fault === null)).toBe(true);
  await expectExactlyOnePaidOrder(page);
  expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("rsc:intent:")))).toEqual([]);
  await expectAuditClean(browser);
});

test("coming back to the checkout after retries found nothing never pays without a click", async ({
  page,
  browser,
}) => {
  await signIn(page, uniqueShopper("come-back"));
  await addToCart(page, "espresso-beans", 1);
  const sent = recordCheckoutRequests(page);
  // Every attempt dies on the way out: the shop never sees the request.
  await page.route("**/api/trpc/checkout.placeOrder", (route) => route.abort("connectionreset"));
  await openCheckout(page);
  await payButton(page).click();
  const notice = page.getByTestId("checkout-notice");
  await expect(notice).toContainText("never reached the shop", { timeout: 30_000 });
  await expect(notice).toContainText("nothing was charged");
  expect(sent).toHaveLength(5);
  const key = sent[0]?.key;

  await page.unroute("**/api/trpc/checkout.placeOrder");
  await page.goto("/");
  await openCheckout(page);
  await expect(notice).toContainText("never reached the shop", { timeout: 15_000 });
  expect(sent, "nothing paid without a click").toHaveLength(5);
  expect((await ordersOf(page)).length).toBe(0);

  await payButton(page).click();
  await expectConfirmation(page);
  expect(new Set(sent.map((s) => s.key))).toEqual(new Set([key]));
  await expectExactlyOnePaidOrder(page);
  await expectAuditClean(browser);
});
