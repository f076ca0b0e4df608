import { expect, test } from "@playwright/test";

/** Product pictures are SVG files drawn with shapes: they load and show without any emoji font. */
test("every product in the shop shows its own SVG picture", async ({ page }, testInfo) => {
  await page.goto("/");
  const products = page.getByTestId("product");
  await expect(products.first()).toBeVisible();
  const pictures = await products.evaluateAll((items) =>
    Promise.all(
      items.map(async (item) => {
        const img = item.querySelector("img");
        // decode() settles once the picture has downloaded and can be shown (it rejects for a broken one), so a
        // picture still on its way is waited for instead of read as not loaded.
        const shown = img
          ? await img.decode().then(
              () => true,
              () => false,
            )
          : false;
        return {
          id: item.getAttribute("data-product-id"),
          src: img?.getAttribute("src") ?? null,
          loaded: shown && img !== null && img.naturalWidth > 0,
        };
      }),
    ),
  );
  expect(pictures.length).toBeGreaterThanOrEqual(12);
  for (const p of pictures) expect(p).toEqual({ id: p.id, src: `/products/${p.id}.svg`, loaded: true });
  const svg = await page.request.get(pictures[0]?.src ?? "");
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
  const path = testInfo.outputPath("shop.png");
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach("shop", { path, contentType: "image/png" });
});
