import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { readDatabase } from "./support/database";
import { E2E_ADMIN_PASSWORD } from "./support/secrets";

const euro = new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" });
const mug = (quantity = 1) => ({ items: [{ productId: "ceramic-mug", quantity }], payment: { token: "tok_visa" } });

/** The event figures the dashboard shows, counted straight from the rows. */
function countsFromDatabase() {
  return readDatabase((db) => {
    const byOutcome = Object.fromEntries(
      (
        db.prepare(`SELECT outcome, COUNT(*) AS n FROM "RequestEvent" GROUP BY outcome`).all() as {
          outcome: string;
          n: number;
        }[]
      ).map((r) => [r.outcome, r.n]),
    ) as Record<string, number>;
    const money = db
      .prepare(
        `SELECT COALESCE(SUM("amountCents"), 0) AS s FROM "RequestEvent" WHERE outcome IN ('REPLAYED', 'IN_FLIGHT_CONFLICT', 'DUPLICATE_SUSPECTED')`,
      )
      .get() as { s: number };
    const notKeyed = (byOutcome.CLIENT_DEDUPED ?? 0) + (byOutcome.CLIENT_RETRY ?? 0) + (byOutcome.UNSAFE_EXECUTED ?? 0);
    const total = Object.values(byOutcome).reduce((a, b) => a + b, 0);
    return { byOutcome, keyedRequests: total - notKeyed, moneyProtectedCents: money.s };
  });
}

async function signInShopper(request: APIRequestContext, name: string) {
  const res = await request.post("/api/trpc/session.signIn", { data: { name } });
  expect(res.status()).toBe(200);
}

const placeOrder = (request: APIRequestContext, body: object) =>
  request.post("/api/trpc/checkout.placeOrder", { data: body }).then(async (res) => ({
    status: res.status(),
    reason: res.ok() ? null : ((await res.json()).error?.data?.reason as string),
  }));

async function signInAdmin(page: Page) {
  await page.goto("/signin");
  await page.getByLabel("Shopper name").fill(`admin-${Date.now().toString(36)}`);
  await page.getByLabel("Admin password (optional)").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("session")).toContainText("(admin)");
}

test("the dashboard shows a scripted storm of duplicates as the database recorded it", async ({
  page,
  playwright,
  baseURL,
}, testInfo) => {
  const shopper = await playwright.request.newContext({ baseURL });
  await signInShopper(shopper, `storm-${Date.now().toString(36)}`);

  // 1. One intent sent six times in a row: executed once, then replayed.
  const keyA = randomUUID();
  const statusesA: number[] = [];
  for (let i = 0; i < 6; i++) statusesA.push((await placeOrder(shopper, { idempotencyKey: keyA, ...mug() })).status);
  expect(statusesA).toEqual([201, 200, 200, 200, 200, 200]);
  // 2. The same cart under a new key (a second tab): held back as a suspected duplicate...
  const keyB = randomUUID();
  expect(await placeOrder(shopper, { idempotencyKey: keyB, ...mug() })).toEqual({
    status: 409,
    reason: "DUPLICATE_INTENT_SUSPECTED",
  });
  // ...then confirmed, with four racing copies of the confirmation: one executes, the rest conflict or replay.
  const racing = await Promise.all(
    Array.from({ length: 4 }, () => placeOrder(shopper, { idempotencyKey: keyB, confirmDuplicate: true, ...mug() })),
  );
  expect(racing.filter((r) => r.status === 201)).toHaveLength(1);
  // 3. Key A reused for another cart, and a request without a key.
  expect((await placeOrder(shopper, { idempotencyKey: keyA, ...mug(2) })).status).toBe(422);
  expect((await placeOrder(shopper, mug())).status).toBe(400);
  // 4. A transient failure resumed by the retry (not a lease takeover), and one unsafe call without a key.
  const keyC = randomUUID();
  const busy = await shopper.post("/api/trpc/checkout.placeOrder", {
    data: { idempotencyKey: keyC, ...mug(3) },
    headers: { "X-Fault": "db-busy" },
  });
  expect(busy.status()).toBe(503);
  expect((await placeOrder(shopper, { idempotencyKey: keyC, ...mug(3) })).status).toBe(201);
  expect((await shopper.post("/api/trpc/checkout.placeOrderUnsafe", { data: mug(4) })).status()).toBe(201);
  await shopper.dispose();

  await signInAdmin(page);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Duplicates & retries" })).toBeVisible();
  await page.getByRole("button", { name: "All", exact: true }).click();

  const db = countsFromDatabase();
  const count = (o: string) => db.byOutcome[o] ?? 0;
  expect(count("EXECUTED")).toBe(2);
  expect(count("REPLAYED")).toBeGreaterThanOrEqual(5);
  expect(count("RESUMED")).toBe(1);
  expect(count("UNSAFE_EXECUTED")).toBe(1);
  expect(db.keyedRequests).toBe(15);

  // The page polls every 3 s: wait for it to show what the database holds.
  const figure = (id: string) => page.getByTestId(`figure-${id}`);
  await expect(figure("keyedRequests")).toHaveText(String(db.keyedRequests));
  await expect(figure("executed")).toHaveText(String(count("EXECUTED")));
  await expect(figure("replayed")).toHaveText(String(count("REPLAYED")));
  await expect(figure("inFlightConflicts")).toHaveText(String(count("IN_FLIGHT_CONFLICT")));
  await expect(figure("suspectedDuplicates")).toHaveText("1");
  await expect(figure("fingerprintMismatches")).toHaveText("1");
  await expect(figure("missingOrInvalidKeys")).toHaveText("1");
  await expect(figure("distinctIntents")).toHaveText("3");
  await expect(figure("transientResumes")).toHaveText(String(count("RESUMED")));
  await expect(figure("leaseTakeovers")).toHaveText(String(count("RECOVERED")));
  await expect(figure("unsafeCalls")).toHaveText(String(count("UNSAFE_EXECUTED")));
  await expect(figure("moneyProtected")).toHaveText(euro.format(db.moneyProtectedCents / 100));
  expect(db.moneyProtectedCents).toBeGreaterThanOrEqual(6 * 1400); // 5 replays + 1 suspected duplicate, at least

  // The same figures through the API the page uses.
  const api = await page.request.get(
    `/api/trpc/admin.stats?input=${encodeURIComponent(JSON.stringify({ window: "all" }))}`,
  );
  expect(api.status()).toBe(200);
  const stats = (await api.json()).result.data;
  expect(stats).toMatchObject({
    keyedRequests: db.keyedRequests,
    replayed: count("REPLAYED"),
    moneyProtectedCents: db.moneyProtectedCents,
  });
  const rate = `${(stats.duplicateRate * 100).toFixed(1)}%`;
  await expect(figure("duplicateRate")).toHaveText(rate);

  // Invariants hold after the storm: one order per intent, one charge per order.
  await expect(page.getByTestId("audit")).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("audit-status")).toHaveText(/^✓ All \d+ invariants hold$/);
  // Replays and executions each on their own scale, labelled with the percentiles the database gives.
  const latency = (
    await page.request
      .get(`/api/trpc/admin.latency?input=${encodeURIComponent(JSON.stringify({ window: "all" }))}`)
      .then((r) => r.json())
  ).result.data as { outcome: string; p50: number | null }[];
  const replayP50 = latency.find((l) => l.outcome === "REPLAYED")?.p50;
  await expect(page.getByTestId("latency-REPLAYED")).toContainText(`${db.byOutcome.REPLAYED} requests`);
  await expect(page.getByTestId("latency-REPLAYED").locator(".recharts-label-list").first()).toContainText(
    String(replayP50),
  );

  // Key A in the recent intents, with its seven requests; its timeline lists them.
  const rowA = page.locator(`[data-testid="intent-row"][data-key="${keyA}"]`);
  await expect(rowA.getByTestId("intent-attempts")).toHaveText("7");
  await rowA.getByRole("button").click();
  await expect(page.getByTestId("intent-timeline").getByTestId("timeline-event")).toHaveCount(7);

  // Lowering the duplicate-rate threshold below the current rate raises an alert.
  await page.getByLabel("Duplicate rate above (%)").fill("1");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("alert-DUPLICATE_RATE")).toBeVisible();
  await page.getByRole("button", { name: "Reset to configured defaults" }).click();

  const shot = testInfo.outputPath("admin-dashboard.png");
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach("admin-dashboard", { path: shot, contentType: "image/png" });
});

test("a shopper gets a friendly 403 page and no session goes to sign-in", async ({ page }) => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/signin\?next=%2Fadmin$/);

  await page.getByLabel("Shopper name").fill(`shopper-${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("session")).toContainText("Signed in as");
  const forbidden = await page.goto("/admin");
  expect(forbidden?.status()).toBe(403);
  await expect(page.getByTestId("admin-forbidden")).toContainText("403");
  await expect(page.getByRole("heading", { name: "This dashboard is for admins" })).toBeVisible();
  await expect(page.getByTestId("admin-dashboard")).toHaveCount(0);
  const api = await page.request.get("/api/trpc/admin.stats");
  expect(api.status()).toBe(403);
});
