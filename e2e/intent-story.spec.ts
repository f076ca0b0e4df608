import { expect, type Page, test } from "@playwright/test";
import { readDatabase } from "./support/database";
import {
  addToCart,
  attachScreenshot,
  E2E_ADMIN_PASSWORD,
  expectConfirmation,
  openCheckout,
  PLACE_ORDER,
  payButton,
  recordCheckoutRequests,
  signIn,
  uniqueShopper,
} from "./support/shop";

/** The server's records of one intent, read from the database itself, not through the app. */
function recordsOf(key: string) {
  return readDatabase((db) => {
    const record = db.prepare(`SELECT id, status, "recoveryPoint" FROM "IdempotencyRecord" WHERE key = ?`).get(key) as {
      id: string;
      status: string;
      recoveryPoint: string;
    };
    const orders = db.prepare(`SELECT id, status FROM "Order" WHERE "idempotencyRecordId" = ?`).all(record.id) as {
      id: string;
      status: string;
    }[];
    const charges = db
      .prepare(`SELECT id, "repeatsAnswered" FROM "ProviderCharge" WHERE "providerKey" = ?`)
      .all(`${record.id}:charge`) as { id: string; repeatsAnswered: number }[];
    const events = db
      .prepare(`SELECT outcome, "httpStatus", attempt FROM "RequestEvent" WHERE key = ? ORDER BY "createdAt", id`)
      .all(key) as { outcome: string; httpStatus: number; attempt: number }[];
    return { record, orders, charges, events };
  });
}

const story = (page: Page) => page.getByTestId("intent-story");
const stepOutcomes = (page: Page) =>
  story(page)
    .getByTestId("story-step")
    .evaluateAll((steps) => steps.map((s) => s.getAttribute("data-outcome")));

test("a double click: the story shows one execution and the click the browser absorbed", async ({ page }, testInfo) => {
  await signIn(page, uniqueShopper("story-dbl"));
  await addToCart(page, "ceramic-mug", 1);
  const sent = recordCheckoutRequests(page);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**${PLACE_ORDER}`, async (route) => {
    await released;
    await route.continue();
  });
  await openCheckout(page);
  const absorbedReported = page.waitForResponse((r) => r.url().includes("events.reportClient"));
  await payButton(page).dblclick();
  await absorbedReported;
  release();
  const orderId = await expectConfirmation(page);
  const key = sent[0]?.key ?? "";

  await expect(story(page).getByTestId("story-browser")).toHaveText("1 extra click absorbed, 0 retries");
  await expect.poll(() => stepOutcomes(page)).toEqual(["click-absorbed", "executed"]);
  const truth = recordsOf(key);
  expect(truth.orders).toEqual([{ id: orderId, status: "PAID" }]);
  expect(truth.charges).toHaveLength(1);
  expect(truth.events.map((e) => e.outcome)).toEqual(["CLIENT_DEDUPED", "EXECUTED"]);
  await expect(story(page).getByTestId("story-provider")).toContainText(`${truth.record.id}:charge`);
  await expect(story(page).getByTestId("story-provider")).toContainText(truth.charges[0]?.id ?? "?");
  await expect(story(page).locator('[data-reached="true"]')).toHaveCount(4);
  await attachScreenshot(page, testInfo, "story-double-click");

  // From the records, not the page's memory: the same story after a reload.
  await page.reload();
  await expect.poll(() => stepOutcomes(page)).toEqual(["click-absorbed", "executed"]);
});

test("a lost response: the story shows the 504, the browser's retry and the replay", async ({ page }, testInfo) => {
  await signIn(page, uniqueShopper("story-lost"));
  await addToCart(page, "espresso-beans", 1);
  const sent = recordCheckoutRequests(page);
  await openCheckout(page);
  await page.getByRole("radio", { name: /Lose the response/ }).check();
  await payButton(page).click();
  await expectConfirmation(page);
  const key = sent[0]?.key ?? "";

  const truth = recordsOf(key);
  expect(truth.orders).toHaveLength(1);
  expect(truth.charges).toEqual([expect.objectContaining({ repeatsAnswered: 0 })]);
  expect(truth.events.filter((e) => e.outcome !== "CLIENT_RETRY").map((e) => [e.outcome, e.httpStatus])).toEqual([
    ["EXECUTED", 504],
    ["REPLAYED", 200],
  ]);
  await page.reload();
  await expect.poll(() => stepOutcomes(page)).toEqual(["response-lost", "browser-retry", "replayed"]);
  await expect(story(page).locator('[data-outcome="replayed"]')).toContainText(
    "Why: retry 2: the previous attempt answered 504",
  );
  await expect(story(page).getByTestId("story-executions")).toHaveText("1");
  await attachScreenshot(page, testInfo, "story-lost-response");
});

test("a crash after the charge: the story shows the crash, who finished it, and the provider's original charge", async ({
  page,
}, testInfo) => {
  await signIn(page, uniqueShopper("story-crash"));
  await addToCart(page, "hand-grinder", 1);
  const sent = recordCheckoutRequests(page);
  await openCheckout(page);
  await page.getByRole("radio", { name: /Crash after charge/ }).check();
  await payButton(page).click();
  await expect(page.getByTestId("order-detail")).toHaveAttribute("data-status", "PAID", { timeout: 30_000 });
  const key = sent[0]?.key ?? "";

  const truth = recordsOf(key);
  expect(truth.record).toMatchObject({ status: "COMPLETED", recoveryPoint: "FINISHED" });
  expect(truth.orders).toHaveLength(1);
  expect(truth.charges).toEqual([expect.objectContaining({ repeatsAnswered: 1 })]);
  const finisher = truth.events.find((e) => e.outcome === "RECOVERED");
  expect(finisher, "a retry or the recovery worker took the crashed attempt over").toBeDefined();
  await page.reload();
  await expect(story(page).locator('[data-outcome="crashed"]')).toHaveCount(1);
  await expect(
    story(page).locator(
      finisher?.attempt === 0 ? '[data-outcome="recovered-by-worker"]' : '[data-outcome="taken-over"]',
    ),
  ).toHaveCount(1);
  await expect(story(page).getByTestId("story-provider")).toContainText(
    "The provider answered 1 repeated call with this original charge: no second charge.",
  );
  await attachScreenshot(page, testInfo, "story-crash-after-charge");
});

test("admins open the same story from the dashboard's recent intents", async ({ page, browser }, testInfo) => {
  await signIn(page, uniqueShopper("story-admin"));
  await addToCart(page, "green-tea", 1);
  const sent = recordCheckoutRequests(page);
  await openCheckout(page);
  await payButton(page).click();
  await expectConfirmation(page);
  const key = sent[0]?.key ?? "";

  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signIn(adminPage, uniqueShopper("story-admin-reader"), E2E_ADMIN_PASSWORD);
  await adminPage.goto("/admin");
  await adminPage.getByTestId("intents").locator(`[data-key="${key}"]`).getByRole("button").click();
  await expect(adminPage.getByTestId("intent-story")).toContainText(key);
  await expect(adminPage.getByTestId("intent-story").getByTestId("story-step")).toHaveCount(1);
  await attachScreenshot(adminPage, testInfo, "story-admin");
  await admin.close();
});
