import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { addToCart, E2E_ADMIN_PASSWORD, expectConfirmation, payButton, signIn, uniqueShopper } from "./support/shop";

/** axe's serious and critical findings on the page as it is now (WCAG 2.x A and AA rules). */
async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ rule: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) }));
}

test("every page has no serious or critical axe violation", async ({ page, browser }) => {
  await page.goto("/signin");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  expect(await seriousViolations(page), "/signin").toEqual([]);

  await signIn(page, uniqueShopper("axe"));
  await addToCart(page, "ceramic-mug", 1);
  for (const [path, ready] of [
    ["/", page.getByTestId("product").first()],
    ["/cart", page.getByTestId("cart-line").first()],
    ["/no-such-page", page.getByRole("heading").first()],
    ["/checkout", payButton(page)],
  ] as const) {
    await page.goto(path);
    await expect(ready).toBeVisible();
    expect(await seriousViolations(page), path).toEqual([]);
  }
  await payButton(page).click();
  await expectConfirmation(page);
  await page.goto("/orders");
  await expect(page.getByTestId("order-row").first()).toBeVisible();
  expect(await seriousViolations(page), "/orders").toEqual([]);
  await page.getByTestId("order-row").first().getByRole("link").click();
  await expect(page.getByTestId("intent-story")).toBeVisible();
  expect(await seriousViolations(page), "/orders/[id]").toEqual([]);

  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signIn(adminPage, uniqueShopper("axe-admin"), E2E_ADMIN_PASSWORD);
  await adminPage.goto("/admin");
  await expect(adminPage.getByTestId("intents")).toBeVisible();
  await adminPage.getByTestId("intents").locator("[data-key]").first().getByRole("button").click();
  await expect(adminPage.getByTestId("intent-story")).toBeVisible();
  expect(await seriousViolations(adminPage), "/admin").toEqual([]);
  await admin.close();
});

/** Presses Tab until the target has the focus, as a keyboard user would; fails if it never gets there. */
async function tabTo(page: Page, target: Locator, maxTabs = 80): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

test("a shopper signs in, fills the cart and pays with the keyboard alone", async ({ page }) => {
  await page.goto("/signin");
  await tabTo(page, page.getByLabel("Shopper name"));
  await page.keyboard.type(uniqueShopper("keys"));
  await page.keyboard.press("Enter");
  await expect(page.getByText(/Signed in as/)).toBeVisible();

  await page.goto("/");
  await tabTo(page, page.getByRole("button", { name: "Add Sencha Green Tea to cart" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText(/Added: 1 × Sencha Green Tea/)).toBeVisible();

  await tabTo(page, page.getByRole("link", { name: /^Cart items/ }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/cart$/);
  await tabTo(page, page.getByRole("link", { name: "Go to checkout" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(payButton(page)).toBeVisible();
  await tabTo(page, payButton(page));
  await page.keyboard.press("Enter");
  await expectConfirmation(page);
  await expect(page.getByTestId("intent-story")).toBeVisible();
});
