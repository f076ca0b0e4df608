import { expect, test } from "@playwright/test";
import {
  addToCart,
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

test("a response lost by the server (X-Fault lose-response) is retried with the same key and replayed", async ({
  page,
  browser,
}, testInfo) => {
  await signIn(page, uniqueShopper("lost-fault"));
  await addToCart(page, "espresso-beans", 2);
  const sent = recordCheckoutRequests(page);
  const statuses: { status: number; replayed: string | undefined }[] = [];
  page.on("response", (r) => {
    if (r.url().includes("/api/trpc/checkout.placeOrder"))
      statuses.push({ status: r.status(), replayed: r.headers()["idempotent-replayed"] });
  });
  await openCheckout(page);
  await page.getByRole("radio", { name: /Lose the response/ }).check();
  await attachScreenshot(page, testInfo, "checkout");
  await payButton(page).click();

  await expectConfirmation(page);
  await attachScreenshot(page, testInfo, "confirmation");
  expect(sent.map((s) => [s.attempt, s.fault])).toEqual([
    ["1", "lose-response"],
    ["2", null],
  ]);
  expect(new Set(sent.map((s) => s.key)).size).toBe(1);
  expect(statuses).toEqual([
    { status: 504, replayed: undefined },
    { status: 200, replayed: "true" },
  ]);
  await expectExactlyOnePaidOrder(page);
  await expectAuditClean(browser);
});

test("a response dropped on the network (page.route aborts it after the server answered) is replayed", async ({
  page,
  browser,
}) => {
  await signIn(page, uniqueShopper("lost-net"));
  await addToCart(page, "pour-over-kettle", 1);
  const sent = recordCheckoutRequests(page);
  let firstAnswer = 0;
  let letRetryGo!: () => void;
  const retryMayGo = new Promise<void>((resolve) => (letRetryGo = resolve));
  let replay: { status: number; replayed: string | undefined } | null = null;
  await page.route("**/api/trpc/checkout.placeOrder", async (route) => {
    if (firstAnswer === 0) {
      // The server really executes the first attempt; only its answer never reaches the page.
      const response = await route.fetch();
      firstAnswer = response.status();
      await route.abort("connectionreset");
      return;
    }
    await retryMayGo;
    const response = await route.fetch();
    replay = { status: response.status(), replayed: response.headers()["idempotent-replayed"] };
    await route.fulfill({ response });
  });
  await openCheckout(page);
  await payButton(page).click();

  await expect(page.getByTestId("checkout-status")).toHaveText(/^Connection lost, retrying safely \(attempt 2 of 5\)/);
  await expect(page.getByTestId("attempt").first()).toHaveAttribute("data-outcome", "lost");
  letRetryGo();

  await expectConfirmation(page);
  expect(firstAnswer).toBe(201);
  expect(replay).toEqual({ status: 200, replayed: "true" });
  expect(sent).toHaveLength(2);
  expect(sent[0]?.key).toBe(sent[1]?.key);
  expect(sent.map((s) => s.attempt)).toEqual(["1", "2"]);
  await expectExactlyOnePaidOrder(page);
  await expectAuditClean(browser);
});
