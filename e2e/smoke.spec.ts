import { expect, test } from "@playwright/test";

test("a shopper signs in and sees the catalog", async ({ page }) => {
  const name = `smoke-${Date.now().toString(36)}`;
  await page.goto("/signin");
  await page.getByLabel("Shopper name").fill(name);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("session")).toContainText(`Signed in as ${name}`);
  await expect(page.getByRole("list", { name: "Catalog" }).getByTestId("product")).toHaveCount(12);
  await expect(page.getByRole("heading", { name: "Espresso Beans 1 kg" })).toBeVisible();
});
