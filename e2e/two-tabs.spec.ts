import { expect, test } from "@playwright/test";
import {
  addToCart,
  attachScreenshot,
  expectAuditClean,
  expectConfirmation,
  openCheckout,
  ordersOf,
  payButton,
  signIn,
  uniqueShopper,
} from "./support/shop";

test("the same cart paid in two tabs asks before placing it again", async ({ context, browser }, testInfo) => {
  const tabA = await context.newPage();
  await signIn(tabA, uniqueShopper("two-tabs"));
  await addToCart(tabA, "espresso-beans", 1);
  await addToCart(tabA, "ceramic-mug", 2);
  const tabB = await context.newPage();
  await openCheckout(tabA);
  await openCheckout(tabB);

  await payButton(tabA).click();
  const firstOrder = await expectConfirmation(tabA);

  // Tab B still shows the same cart: a new key (its own sessionStorage) but the same content.
  await payButton(tabB).click();
  const dialog = tabB.getByRole("dialog", {
    name: /You placed this same order \d+ seconds? ago: view it, or place it again\?/,
  });
  await expect(dialog).toBeVisible();
  await attachScreenshot(tabB, testInfo, "duplicate-dialog");
  expect((await ordersOf(tabB)).map((o) => o.id)).toEqual([firstOrder]);
  await expect(dialog.getByRole("link", { name: "View it" })).toHaveAttribute("href", `/orders/${firstOrder}`);

  // Only an explicit confirmation places it again.
  await dialog.getByRole("button", { name: "Place it again" }).click();
  const secondOrder = await expectConfirmation(tabB);
  expect(secondOrder).not.toBe(firstOrder);
  const orders = await ordersOf(tabB);
  expect(orders).toHaveLength(2);
  expect(orders.every((o) => o.status === "PAID")).toBe(true);
  expect(new Set(orders.map((o) => o.payment?.chargeId)).size).toBe(2);
  await expectAuditClean(browser);
});

test("viewing the earlier order instead places nothing", async ({ context }) => {
  const tabA = await context.newPage();
  await signIn(tabA, uniqueShopper("two-tabs-view"));
  await addToCart(tabA, "paper-filters", 1);
  const tabB = await context.newPage();
  await openCheckout(tabA);
  await openCheckout(tabB);
  await payButton(tabA).click();
  const firstOrder = await expectConfirmation(tabA);

  await payButton(tabB).click();
  const dialog = tabB.getByRole("dialog");
  await dialog.getByRole("link", { name: "View it" }).click();
  await expect(tabB).toHaveURL(new RegExp(`/orders/${firstOrder}$`));
  expect((await ordersOf(tabB)).map((o) => o.id)).toEqual([firstOrder]);
});
