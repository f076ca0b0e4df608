/** Products with their own picture in public/products; any other product gets the generic one. */
export const picturedProducts = new Set([
  "espresso-beans",
  "pour-over-kettle",
  "ceramic-mug",
  "hand-grinder",
  "paper-filters",
  "milk-frother",
  "travel-tumbler",
  "digital-scale",
  "cold-brew-jar",
  "green-tea",
  "almond-biscotti",
  "last-one",
]);

/** Derived from the product id, so existing rows need no new column (the emoji stays, unused by pages). */
export const productImagePath = (productId: string): string =>
  `/products/${picturedProducts.has(productId) ? productId : "product"}.svg`;

/**
 * A product's picture as an SVG file: drawn shapes only, so it looks the same on a machine without an emoji
 * font. Decorative next to the product's name, hence the empty alt.
 */
export function ProductImage({ productId, size }: { productId: string; size: number }) {
  return (
    // biome-ignore lint/performance/noImgElement: a static SVG needs no image optimisation
    <img src={productImagePath(productId)} alt="" width={size} height={size} className="shrink-0 rounded-md" />
  );
}
