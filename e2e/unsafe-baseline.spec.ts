import { expect, test } from "@playwright/test";
import {
  addToCart,
  attachScreenshot,
  auditViolations,
  openCheckout,
  ordersOf,
  PLACE_ORDER_UNSAFE,
  payButton,
  signIn,
  uniqueShopper,
} from "./support/shop";

/**
 * The control experiment: with the client dedupe and the idempotency key switched off, the same double
 * click that the other specs survive really charges twice. If this spec ever sees one order, the suite
 * has lost the ability to notice a double charge.
 */
test("with the defences off, a double click really charges twice", async ({ page, browser }, testInfo) => {
  await signIn(page, uniqueShopper("unsafe"));
  await addToCart(page, "espresso-beans", 1);
  const unsafe: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes(PLACE_ORDER_UNSAFE)) unsafe.push(r.url());
  });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**${PLACE_ORDER_UNSAFE}`, async (route) => {
    await released;
    await route.continue();
  });
  await openCheckout(page);
  await page.getByRole("checkbox", { name: /Client in-flight dedupe/ }).uncheck();
  await page.getByRole("checkbox", { name: /Idempotency key/ }).uncheck();
  await expect(page.getByRole("alert").filter({ hasText: "Unsafe mode: no idempotency key" })).toContainText(
    "If a response is lost, the automatic retry is a new order and can charge the card twice",
  );
  await attachScreenshot(page, testInfo, "checkout-unsafe");

  await payButton(page).dblclick();
  await expect.poll(() => unsafe.length).toBe(2);
  release();

  await expect.poll(async () => (await ordersOf(page)).length).toBe(2);
  const orders = await ordersOf(page);
  expect(orders.every((o) => o.status === "PAID" && o.payment?.status === "SUCCEEDED")).toBe(true);
  expect(new Set(orders.map((o) => o.payment?.chargeId)).size).toBe(2);
  expect(orders.map((o) => JSON.stringify(o.items))).toEqual([
    JSON.stringify(orders[0]?.items),
    JSON.stringify(orders[0]?.items),
  ]);
  // The admin audit sees it too: the later of the two orders is reported as a repeat charge without a key.
  const flagged = (await auditViolations(browser)).no_unkeyed_repeat_charge ?? [];
  expect(flagged.filter((id) => orders.some((o) => o.id === id))).toHaveLength(1);
});

test("with only the key off, one click whose response is lost charges twice, and the page says so", async ({
  page,
}) => {
  await signIn(page, uniqueShopper("unsafe-lost"));
  await addToCart(page, "ceramic-mug", 1);
  const unsafe: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes(PLACE_ORDER_UNSAFE)) unsafe.push(r.headers()["x-retry-attempt"] ?? "?");
  });
  // The retry is held at the network until the page has been read, so the checkout is still on screen.
  let releaseRetry!: () => void;
  const retryReleased = new Promise<void>((resolve) => (releaseRetry = resolve));
  await page.route(`**${PLACE_ORDER_UNSAFE}`, async (route) => {
    if (route.request().headers()["x-retry-attempt"] !== "1") await retryReleased;
    await route.continue();
  });
  await openCheckout(page);
  await page.getByRole("checkbox", { name: /Idempotency key/ }).uncheck();
  await page.getByRole("radio", { name: /Lose the response/ }).check();
  await payButton(page).click();

  // The retry is no safe retry: it is labelled as what it is, on the status line and on the timeline.
  await expect(page.getByTestId("checkout-status")).toContainText("retrying WITHOUT an idempotency key");
  await expect(page.getByTestId("checkout-status")).toContainText("This can charge your card twice.");
  await expect(page.getByTestId("attempt").filter({ hasText: "UNSAFE retry" })).toHaveCount(1);
  releaseRetry();
  await expect.poll(async () => (await ordersOf(page)).length).toBe(2);
  expect(unsafe).toEqual(["1", "2"]);
  const orders = await ordersOf(page);
  expect(new Set(orders.map((o) => o.payment?.chargeId)).size).toBe(2);
});
