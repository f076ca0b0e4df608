import { randomUUID } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { readDatabase } from "./support/database";
import { attachScreenshot, E2E_ADMIN_PASSWORD, signIn, uniqueShopper } from "./support/shop";

type Truth = { orders: number; unsafe: number; charges: number; providerRepeats: number };

/** The shopper's orders and charges as the database holds them (not what the tour page says). */
function truthOf(shopper: string): Truth {
  return readDatabase((db) => {
    const row = db
      .prepare(
        `SELECT COUNT(o.id) AS orders, COUNT(x."orderId") AS unsafe,
           COALESCE(SUM(CASE WHEN p.status = 'SUCCEEDED' THEN 1 ELSE 0 END), 0) AS charges,
           COALESCE(SUM(c."repeatsAnswered"), 0) AS providerRepeats
         FROM "Order" o JOIN "User" u ON u.id = o."userId"
         LEFT JOIN "Payment" p ON p."orderId" = o.id
         LEFT JOIN "ProviderCharge" c ON c."providerKey" = o."idempotencyRecordId" || ':charge'
         LEFT JOIN "UnsafeOrder" x ON x."orderId" = o.id
         WHERE u.name = ?`,
      )
      .get(shopper) as Truth;
    return row;
  });
}

async function runScenario(page: Page, id: string) {
  const card = page.getByTestId(`tour-${id}`);
  await card.getByRole("button", { name: "Run" }).click();
  await expect(card).toHaveAttribute("data-state", "done", { timeout: 45_000 });
  return card;
}

const sides = (card: import("@playwright/test").Locator) =>
  card.getByTestId("tour-outcome").evaluateAll((els) =>
    els.map((e) => ({
      orders: Number(e.getAttribute("data-orders")),
      charges: Number(e.getAttribute("data-charges")),
    })),
  );

test("the guided tour: each scenario's result matches the database", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const shopper = uniqueShopper("tour");
  await signIn(page, shopper);
  await page.goto("/");
  await page.getByRole("link", { name: "Tour" }).click();
  await expect(page).toHaveURL(/\/try$/);
  await expect(page.getByRole("heading", { name: "Guided tour" })).toBeVisible();

  // (a) Double click: one order and one charge with the key, two of each without.
  const dbl = await runScenario(page, "double-click");
  expect(await sides(dbl)).toEqual([
    { orders: 1, charges: 1 },
    { orders: 2, charges: 2 },
  ]);
  await expect(dbl.getByTestId("tour-defences").first()).toContainText(
    "idempotency lease: refused while the first attempt ran",
  );
  await expect(dbl.getByTestId("tour-defences").nth(1)).toContainText(
    "none: the card was charged 2 times for one cart",
  );
  expect(truthOf(shopper)).toMatchObject({ orders: 3, unsafe: 2, charges: 3 });
  await attachScreenshot(page, testInfo, "tour-double-click");

  // (b) Lost response: the retry is answered with the stored response.
  const lost = await runScenario(page, "lost-response");
  expect(await sides(lost)).toEqual([{ orders: 1, charges: 1 }]);
  await expect(lost.getByTestId("tour-defences")).toContainText("idempotency key: the stored answer was replayed");
  expect(truthOf(shopper)).toMatchObject({ orders: 4, charges: 4 });
  await attachScreenshot(page, testInfo, "tour-lost-response");

  // (c) Crash after the charge: the worker finishes it, the provider answers its repeat with the same charge.
  const crash = await runScenario(page, "crash");
  expect(await sides(crash)).toEqual([{ orders: 1, charges: 1 }]);
  await expect(crash.getByTestId("tour-defences")).toContainText("recovery worker: finished the crashed attempt");
  await expect(crash.getByTestId("tour-defences")).toContainText(
    "payment provider key: 1 repeat answered with the original charge",
  );
  expect(truthOf(shopper)).toMatchObject({ orders: 5, charges: 5, providerRepeats: 1 });
  await attachScreenshot(page, testInfo, "tour-crash");

  // (d) Two tabs: the second key for the same cart is stopped by the duplicate-intent net.
  const tabs = await runScenario(page, "two-tabs");
  expect(await sides(tabs)).toEqual([{ orders: 1, charges: 1 }]);
  await expect(tabs.getByTestId("tour-defences")).toContainText("duplicate-intent net: the second tab was stopped");
  expect(truthOf(shopper)).toMatchObject({ orders: 6, charges: 6 });
  await attachScreenshot(page, testInfo, "tour-two-tabs");
});

function jobsTruth() {
  return readDatabase(
    (db) =>
      db
        .prepare(
          `SELECT (SELECT COUNT(*) FROM "SentEmail") AS emails, (SELECT COUNT(*) FROM "ModelCall") AS modelCalls,
             (SELECT COALESCE(SUM(absorbed), 0) FROM "Job") AS absorbed,
             (SELECT COUNT(*) FROM "Job" WHERE state IN ('PENDING', 'RUNNING')) AS unsettled`,
        )
        .get() as { emails: number; modelCalls: number; absorbed: number; unsettled: number },
  );
}

test("the guided tour, as an admin: redelivered jobs are absorbed by their consumers", async ({ page }, testInfo) => {
  await signIn(page, uniqueShopper("tour-admin"), E2E_ADMIN_PASSWORD);
  const placed = await page.request.post("/api/trpc/checkout.placeOrder", {
    data: {
      idempotencyKey: randomUUID(),
      items: [{ productId: "paper-filters", quantity: 1 }],
      payment: { token: "tok_visa" },
    },
  });
  expect(placed.status()).toBe(201);
  // Its two jobs (e-mail, fraud review) finished, so there are succeeded jobs to redeliver.
  await expect.poll(() => jobsTruth().unsettled, { timeout: 30_000 }).toBe(0);
  const before = jobsTruth();

  await page.goto("/try");
  const card = await runScenario(page, "redelivery");
  await expect(card.getByTestId("tour-jobs")).toHaveText(
    "5 jobs redelivered, 5 absorbed, 0 e-mails and 0 model calls more",
  );
  await expect(card.getByTestId("tour-defences")).toContainText(
    "consumer inbox: 5 redelivered jobs found their effect",
  );
  const after = jobsTruth();
  expect(after).toEqual({ ...before, absorbed: before.absorbed + 5 });
  await attachScreenshot(page, testInfo, "tour-redelivery");
});
