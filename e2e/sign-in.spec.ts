import { expect, type Page, test } from "@playwright/test";
import { addToCart, attachScreenshot, E2E_ADMIN_PASSWORD, signIn, uniqueShopper } from "./support/shop";

async function signInWithForm(page: Page, name: string, adminPassword?: string): Promise<void> {
  await page.getByLabel("Shopper name").fill(name);
  if (adminPassword) await page.getByLabel("Admin password (optional)").fill(adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("signing in from /admin returns to /admin", async ({ page }) => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/signin\?next=%2Fadmin$/);
  await signInWithForm(page, uniqueShopper("return-admin"), E2E_ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId("admin-dashboard")).toBeVisible();
});

test("the sign-in prompt of a page brings the shopper back to that page", async ({ page }) => {
  await page.goto("/orders");
  await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/signin\?next=%2Forders$/);
  await signInWithForm(page, uniqueShopper("return-orders"));
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByRole("heading", { name: "Your orders" })).toBeVisible();
  await expect(page.getByTestId("session")).toContainText("Signed in as");
});

for (const next of ["https://evil.example/steal", "//evil.example/steal", "/\\evil.example"]) {
  test(`a next parameter pointing off the site (${next}) lands on the shop instead`, async ({ page, baseURL }) => {
    await page.goto(`/signin?next=${encodeURIComponent(next)}`);
    await signInWithForm(page, uniqueShopper("no-open-redirect"));
    await expect(page.getByTestId("session")).toContainText("Signed in as");
    await expect(page).toHaveURL(`${baseURL}/`);
  });
}

test("the form explains a refused name in words and keeps a Unicode name whole", async ({ page }, testInfo) => {
  await page.goto("/signin");
  await signInWithForm(page, "   ");
  await expect(page.locator("form").getByRole("alert")).toHaveText("Enter a shopper name.");
  await signInWithForm(page, "n".repeat(41));
  await expect(page.locator("form").getByRole("alert")).toHaveText(
    "A shopper name is at most 40 characters; this one has 41.",
  );
  await expect(page.getByLabel("Shopper name")).toHaveValue("n".repeat(41));
  await attachScreenshot(page, testInfo, "sign-in-refused");
  const name = `Zoë 李小龍 ${Date.now().toString(36)}`;
  await signInWithForm(page, name);
  await expect(page.getByTestId("session")).toContainText(`Signed in as ${name}`);
});

test("signing out clears the cached cart: the next shopper never sees the previous count", async ({ page }) => {
  await signIn(page, uniqueShopper("leaving"));
  await addToCart(page, "ceramic-mug", 2);
  await addToCart(page, "green-tea", 1);
  await page.goto("/");
  const count = page.getByTestId("cart-count");
  await expect(count).toContainText("3");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByTestId("session").getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(count).toContainText("0");

  await page.getByTestId("session").getByRole("link", { name: "Sign in" }).click();
  const next = uniqueShopper("arriving");
  await signInWithForm(page, next);
  await expect(page.getByTestId("session")).toContainText(`Signed in as ${next}`);
  await expect(count).toContainText("0");
  // Its own cart, not a leftover: one add shows 1, not 4.
  await page.getByRole("button", { name: "Add Ceramic Mug to cart" }).click();
  await expect(count).toContainText("1");
});
