import { expect, test } from "@playwright/test";
import { addToCart, attachScreenshot, signIn, uniqueShopper } from "./support/shop";

test("every page has its own title", async ({ page }) => {
  await signIn(page, uniqueShopper("titles"));
  const titles: Record<string, string> = {};
  for (const path of ["/", "/cart", "/checkout", "/orders", "/signin", "/orders/no-such-order", "/no-such-page"]) {
    await page.goto(path);
    titles[path] = await page.title();
  }
  expect(titles).toEqual({
    "/": "Shop · Retry-safe checkout",
    "/cart": "Your cart · Retry-safe checkout",
    "/checkout": "Checkout · Retry-safe checkout",
    "/orders": "Your orders · Retry-safe checkout",
    "/signin": "Sign in · Retry-safe checkout",
    "/orders/no-such-order": "Order no-such-order · Retry-safe checkout",
    "/no-such-page": "Page not found · Retry-safe checkout",
  });
});

test("an unknown address answers 404 with the site header and a way home", async ({ page, baseURL }, testInfo) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "There is no page at this address" })).toBeVisible();
  await attachScreenshot(page, testInfo, "not-found");
  await page.getByRole("link", { name: "Back to the shop" }).click();
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole("list", { name: "Catalog" })).toBeVisible();
});

test("the shop and the cart show what is left; the cart offers no more than the stock", async ({ page }, testInfo) => {
  await signIn(page, uniqueShopper("stock-ui"));
  const stock = async (): Promise<number> => {
    const res = await page.request.get("/api/trpc/catalog.list");
    const products = (await res.json()).result.data as { id: string; stock: number }[];
    return products.find((p) => p.id === "hand-grinder")?.stock ?? 0;
  };
  await addToCart(page, "hand-grinder", 2);
  const left = await stock();
  await page.goto("/");
  const grinder = page.locator('[data-product-id="hand-grinder"]');
  await expect(grinder.getByTestId("availability")).toHaveText(`${left} in stock · 2 in your cart`);

  await page.goto("/cart");
  await expect(page.getByTestId("cart-line-stock")).toHaveText(`${left} left`);
  const options = await page.getByLabel("Quantity of Hand Grinder").locator("option").allTextContents();
  expect(options.map(Number)).toEqual(Array.from({ length: Math.min(10, left) }, (_, i) => i + 1));
  await attachScreenshot(page, testInfo, "cart-stock");
});

test("adding beyond the stock is refused by name with what is left", async ({ page }, testInfo) => {
  await signIn(page, uniqueShopper("stock-refused"));
  await addToCart(page, "last-one", 2);
  await page.goto("/");
  const siphon = page.locator('[data-product-id="last-one"]');
  await expect(siphon.getByTestId("availability")).toHaveText("3 in stock · 2 in your cart");
  // Another tab takes the last unit into the cart; this page has not seen it yet.
  await addToCart(page, "last-one", 1);
  await siphon.getByRole("button", { name: "Add Limited Edition Siphon to cart" }).click();
  await expect(siphon.getByRole("status")).toHaveText(
    "Not enough stock: only 3 × Limited Edition Siphon are left (you asked for 4).",
  );
  await expect(siphon.getByTestId("availability")).toHaveText("3 in stock · 3 in your cart");
  await expect(siphon.getByRole("button", { name: "Add Limited Edition Siphon to cart" })).toBeDisabled();
  await attachScreenshot(page, testInfo, "stock-refused");
});
