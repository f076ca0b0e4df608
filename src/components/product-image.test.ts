import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalog } from "@/server/catalog/seed-catalog";
import { picturedProducts, productImagePath } from "./product-image";

const publicFile = (path: string) => join(process.cwd(), "public", path);

describe("product images", () => {
  it("gives every catalog product its own SVG file", () => {
    for (const p of catalog) {
      expect(productImagePath(p.id)).toBe(`/products/${p.id}.svg`);
      expect(existsSync(publicFile(productImagePath(p.id))), p.id).toBe(true);
    }
    expect([...picturedProducts].sort()).toEqual(catalog.map((p) => p.id).sort());
  });

  it("falls back to the generic picture for a product it does not know", () => {
    expect(productImagePath("not-in-the-catalog")).toBe("/products/product.svg");
    expect(existsSync(publicFile("/products/product.svg"))).toBe(true);
  });
});
