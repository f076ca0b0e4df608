import { expect, test } from "@playwright/test";
import { readDatabase } from "./support/database";
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

test("a second tab pressed while the first, slow tab is in flight gets the duplicate dialog, waits, and one order", async ({
  context,
  browser,
}, testInfo) => {
  const tabA = await context.newPage();
  const shopper = uniqueShopper("two-tabs-slow");
  await signIn(tabA, shopper);
  await addToCart(tabA, "green-tea", 2);
  const tabB = await context.newPage();
  await openCheckout(tabA);
  await openCheckout(tabB);
  const sentA = recordCheckoutRequests(tabA);
  const sentB = recordCheckoutRequests(tabB);
  const answersB: { status: number; body: string }[] = [];
  tabB.on("response", async (r) => {
    if (r.url().includes("/api/trpc/checkout.placeOrder")) answersB.push({ status: r.status(), body: await r.text() });
  });

  await tabA.getByRole("radio", { name: /Slow server/ }).check();
  await payButton(tabA).click();
  await expect.poll(() => sentA.length).toBe(1);
  // Tab A's record exists and its attempt is still in flight (3 s slow): now the shopper pays in tab B.
  await expect(tabA.getByTestId("attempt").and(tabA.locator('[data-outcome="in-flight"]'))).toHaveCount(1);
  await payButton(tabB).click();
  const dialog = tabB.getByRole("dialog", {
    name: "This same order is being paid right now: wait for it, or place it again?",
  });
  await expect(dialog).toBeVisible();
  await attachScreenshot(tabB, testInfo, "duplicate-dialog-in-flight");
  expect(answersB.map((a) => a.status)).toEqual([409]);
  expect(answersB[0]?.body).toContain("DUPLICATE_INTENT_SUSPECTED");
  expect(answersB[0]?.body).toContain(sentA[0]?.key ?? "?");

  // Waiting for it follows tab A's attempt by its key: tab B lands on the same order, paying nothing.
  await dialog.getByRole("button", { name: "Wait for it" }).click();
  await expect(tabB.getByTestId("checkout-notice")).toContainText("Waiting for your other payment");
  const firstOrder = await expectConfirmation(tabA);
  expect(await expectConfirmation(tabB)).toBe(firstOrder);

  // The database truth: one order, one payment, one charge for this shopper; tab B's key left no record.
  const truth = readDatabase((db) => ({
    orders: db
      .prepare(`SELECT o.id, o.status FROM "Order" o JOIN "User" u ON u.id = o."userId" WHERE u.name = ?`)
      .all(shopper),
    payments: db
      .prepare(
        `SELECT COUNT(*) AS n FROM "Payment" p JOIN "Order" o ON o.id = p."orderId" JOIN "User" u ON u.id = o."userId" WHERE u.name = ?`,
      )
      .get(shopper),
    recordsOfB: db.prepare(`SELECT COUNT(*) AS n FROM "IdempotencyRecord" WHERE key = ?`).get(sentB[0]?.key ?? "?"),
    claims: db
      .prepare(
        `SELECT COUNT(*) AS n FROM "IdempotencyRecord" r JOIN "User" u ON u.id = r."userId" WHERE u.name = ? AND r."intentClaim" IS NOT NULL`,
      )
      .get(shopper),
  }));
  expect(truth).toEqual({
    orders: [{ id: firstOrder, status: "PAID" }],
    payments: { n: 1 },
    recordsOfB: { n: 0 },
    claims: { n: 0 },
  });
  expect(sentB).toHaveLength(1);
  await expectAuditClean(browser);
});
