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
  await expectConfirmation(page);

  expect(sent.length).toBeGreaterThanOrEqual(2);
  expect(new Set(sent.map((s) => s.key))).toEqual(new Set([key]));
  // The resumed submit carried no fault: the fault was for the first attempt only.
  expect(sent.slice(1).every((s) => s.fault === null)).toBe(true);
  await expectExactlyOnePaidOrder(page);
  expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("rsc:intent:")))).toEqual([]);
  await expectAuditClean(browser);
});
