import { expect, type Page, test } from "@playwright/test";
import { readDatabase } from "./support/database";
import {
  addToCart,
  attachScreenshot,
  openCheckout,
  ordersOf,
  PLACE_ORDER_UNSAFE,
  payButton,
  signIn,
  uniqueShopper,
} from "./support/shop";

const story = (page: Page) => page.getByTestId("intent-story");

test("unsafe twins: each order of a double click with the defences off names the other and the two charges", async ({
  page,
  browser,
}, testInfo) => {
  const shopper = uniqueShopper("story-unsafe");
  await signIn(page, shopper);
  await addToCart(page, "almond-biscotti", 1);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let unsafe = 0;
  await page.route(`**${PLACE_ORDER_UNSAFE}`, async (route) => {
    unsafe++;
    await released;
    await route.continue();
  });
  await openCheckout(page);
  await page.getByRole("checkbox", { name: /Client in-flight dedupe/ }).uncheck();
  await page.getByRole("checkbox", { name: /Idempotency key/ }).uncheck();
  await payButton(page).dblclick();
  await expect.poll(() => unsafe).toBe(2);
  release();
  await expect.poll(async () => (await ordersOf(page)).length).toBe(2);
  const [first, second] = (await ordersOf(page)).map((o) => o.id);

  const payments = readDatabase(
    (db) =>
      db
        .prepare(`SELECT COUNT(*) AS n FROM "Payment" WHERE status = 'SUCCEEDED' AND "orderId" IN (?, ?)`)
        .get(first, second) as { n: number },
  );
  expect(payments.n).toBe(2);
  await page.goto(`/orders/${first}`);
  await expect(story(page).getByTestId("times-charged")).toHaveText(
    "Placed without the defences: your card was charged 2 times for this cart.",
  );
  await expect(story(page).getByTestId("twin")).toHaveCount(1);
  await attachScreenshot(page, testInfo, "story-unsafe-twins");
  await story(page).getByTestId("twin").getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/orders/${second}$`));
  await expect(story(page).getByTestId("twin").getByRole("link")).toHaveAttribute("href", `/orders/${first}`);

  // Another shopper gets nothing of it.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, uniqueShopper("story-nosy"));
  await otherPage.goto(`/orders/${first}`);
  await expect(otherPage.getByText("No such order.")).toBeVisible();
  await expect(otherPage.getByTestId("intent-story")).toHaveCount(0);
  const res = await otherPage.request.get(
    `/api/trpc/orders.story?input=${encodeURIComponent(JSON.stringify({ id: first }))}`,
  );
  expect(res.status()).toBe(404);
  await other.close();
});
