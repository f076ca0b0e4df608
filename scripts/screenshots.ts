/**
 * `npm run screenshots`: the README's pictures, taken from the real app. Builds if there is no build, starts
 * it on a free port with demo faults on and a fresh SQLite database, drives it with Playwright (a lost
 * response retried with the same key; a few shoppers' retries, conflicts and refusals), and writes
 * docs/images/checkout.png and docs/images/admin.png.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type APIRequestContext, type Browser, chromium } from "@playwright/test";
import { ensureBuild, ROOT, setupDatabase } from "../bench/lib/instances";
import { chromiumLaunchOptions } from "../e2e/support/chromium";
import { freePort } from "./free-port";
import { demoSecrets, startNextInstance } from "./next-instance";

const OUT = path.join(ROOT, "docs/images");
const VIEWPORT = { width: 1280, height: 900 };
const log = (line: string) => console.log(`[screenshots] ${line}`);

const mug = (quantity = 1, token = "tok_visa") => ({
  items: [{ productId: "ceramic-mug", quantity }],
  payment: { token },
});

async function post(request: APIRequestContext, procedure: string, data: object, headers: Record<string, string> = {}) {
  const res = await request.post(`/api/trpc/${procedure}`, { data, headers });
  return res.status();
}

/** Signs a new browser context in (its request context shares the cookie with its pages). */
async function signedIn(browser: Browser, origin: string, name: string, adminPassword?: string) {
  const context = await browser.newContext({ baseURL: origin, viewport: VIEWPORT });
  const status = await post(context.request, "session.signIn", { name, ...(adminPassword ? { adminPassword } : {}) });
  if (status !== 200) throw new Error(`sign-in of ${name} answered ${status}`);
  return context;
}

/** Traffic of a few shoppers for the dashboard: replays, conflicts, a mismatch, a suspected duplicate, a retry. */
async function shopperTraffic(browser: Browser, origin: string): Promise<void> {
  for (const [i, name] of ["grace", "linus", "barbara", "ken"].entries()) {
    const context = await signedIn(browser, origin, name);
    const { request } = context;
    const key = randomUUID();
    const body = { idempotencyKey: key, ...mug(i + 1) };
    // Three copies at once: one executes (slowly), the others meet its lease (409) or its stored answer.
    await Promise.all([
      post(request, "checkout.placeOrder", body, { "X-Fault": "delay:800" }),
      post(request, "checkout.placeOrder", body),
      post(request, "checkout.placeOrder", body),
    ]);
    await post(request, "checkout.placeOrder", { ...body, ...mug(i + 2) }); // same key, another cart: 422
    await post(request, "checkout.placeOrder", mug(i + 1)); // no key: 400
    await post(request, "checkout.placeOrder", body, { "X-Retry-Attempt": "2" }); // replayed
    await post(request, "checkout.placeOrder", { idempotencyKey: randomUUID(), ...mug(i + 1) }); // safety net
    const busy = {
      idempotencyKey: randomUUID(),
      items: [{ productId: "espresso-beans", quantity: 1 }],
      payment: { token: "tok_visa" },
    };
    await post(request, "checkout.placeOrder", busy, { "X-Fault": "db-busy" });
    await post(request, "checkout.placeOrder", busy, { "X-Retry-Attempt": "2" });
    await context.close();
  }
}

/**
 * The checkout page after a double click and a lost response retried with the same key (a declined card
 * keeps the page open, so the timeline stays in view).
 */
async function checkoutShot(browser: Browser, origin: string): Promise<void> {
  const context = await signedIn(browser, origin, "ada");
  await post(context.request, "cart.addItem", {
    idempotencyKey: randomUUID(),
    productId: "pour-over-kettle",
    quantity: 1,
  });
  await post(context.request, "cart.addItem", {
    idempotencyKey: randomUUID(),
    productId: "espresso-beans",
    quantity: 2,
  });
  const page = await context.newPage();
  await page.goto("/checkout");
  await page.getByTestId("pay").waitFor();
  await page.getByRole("radio", { name: /Card that declines/ }).check();
  await page.getByRole("radio", { name: /Lose the response/ }).check();
  // A double click: the second click joins the pending attempt in the browser (in-flight dedupe).
  await page.getByTestId("pay").dblclick();
  await page.locator('[data-testid="attempt"][data-outcome="replayed"]').waitFor();
  await page.getByTestId("checkout-notice").waitFor();
  await page.screenshot({ path: path.join(OUT, "checkout.png"), fullPage: true });
  log("docs/images/checkout.png");
  await context.close();
}

async function adminShot(browser: Browser, origin: string): Promise<void> {
  const context = await signedIn(browser, origin, "admin-ada", secrets.ADMIN_PASSWORD);
  const page = await context.newPage();
  await page.goto("/admin");
  await page.getByTestId("intent-row").first().waitFor();
  await page.locator('[data-testid="audit"][data-ok="true"]').waitFor();
  await page.screenshot({ path: path.join(OUT, "admin.png"), fullPage: true });
  log("docs/images/admin.png");
  await context.close();
}

ensureBuild(".next", { log });
mkdirSync(OUT, { recursive: true });
const dir = mkdtempSync(path.join(tmpdir(), "rsc-screenshots-"));
const databaseUrl = `file:${path.join(dir, "shop.db")}`;
setupDatabase(databaseUrl);
const secrets = demoSecrets();
const app = await startNextInstance("app", await freePort(), {
  ...secrets,
  DATABASE_URL: databaseUrl,
  IDEMPOTENCY_LEASE_MS: "3000",
  RECOVERY_INTERVAL_MS: "1000",
});
const browser = await chromium.launch(chromiumLaunchOptions());
let failed = false;
try {
  await shopperTraffic(browser, app.origin);
  await checkoutShot(browser, app.origin);
  await adminShot(browser, app.origin);
} catch (error) {
  failed = true;
  console.error(`[screenshots] ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await browser.close();
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
