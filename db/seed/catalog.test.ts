import { describe, expect, it } from "vitest";
import { generateProduct } from "./catalog";
import { BRANDS, CATEGORIES } from "./vocabulary";

const sample = Array.from({ length: 5000 }, (_, i) => generateProduct(i));

describe("the generated catalog", () => {
  it("is deterministic: item n is the same whatever the catalog size", () => {
    expect(generateProduct(1234)).toEqual(generateProduct(1234));
    expect(generateProduct(0).id).toBe("prd_000000");
  });

  it("spans at least six categories with subcategories and 40+ brands in four price tiers", () => {
    expect(new Set(sample.map((p) => p.category)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(sample.map((p) => p.subcategory)).size).toBeGreaterThan(20);
    expect(new Set(sample.map((p) => p.brand)).size).toBeGreaterThanOrEqual(40);
    expect(new Set(sample.map((p) => p.brandTier))).toEqual(new Set(["value", "mid", "premium", "luxury"]));
    expect(BRANDS.length).toBeGreaterThanOrEqual(40);
    expect(CATEGORIES.length).toBeGreaterThanOrEqual(6);
  });

  it("prices luxury brands above value brands for the same kind of item", () => {
    const median = (tier: string) => {
      const prices = sample.filter((p) => p.subcategory === "jackets" && p.brandTier === tier).map((p) => p.priceMinor).sort((a, b) => a - b);
      return prices[Math.floor(prices.length / 2)]!;
    };
    expect(median("luxury")).toBeGreaterThan(median("premium"));
    expect(median("premium")).toBeGreaterThan(median("mid"));
    expect(median("mid")).toBeGreaterThan(median("value"));
  });

  it("gives every item sizes in stock, colours, materials, seasons and a description", () => {
    for (const p of sample.slice(0, 500)) {
      expect(p.sizesInStock.length).toBeGreaterThan(0);
      expect(p.colors.length).toBeGreaterThan(0);
      expect(p.materials.length).toBeGreaterThan(0);
      expect(p.seasons.length).toBeGreaterThan(0);
      expect(p.description.length).toBeGreaterThan(40);
      expect(p.formality).toBeGreaterThanOrEqual(1);
    }
  });

  it("keeps warm-weather pieces out of winter and winter pieces out of summer, whatever their fabric", () => {
    const seasonsOf = (sub: string) => new Set(sample.filter((p) => p.subcategory === sub).flatMap((p) => p.seasons));
    for (const sub of ["shorts", "running-shorts", "sandals", "sports-bras"]) {
      expect(seasonsOf(sub).has("winter"), sub).toBe(false);
      expect(seasonsOf(sub).has("autumn"), sub).toBe(false);
      expect(seasonsOf(sub).has("summer"), sub).toBe(true);
    }
    for (const sub of ["track-jackets", "trench-coats"]) {
      expect(seasonsOf(sub).has("winter"), sub).toBe(false);
      expect(seasonsOf(sub).has("spring"), sub).toBe(true);
      expect(seasonsOf(sub).has("autumn"), sub).toBe(true);
    }
    for (const sub of ["coats", "parkas"]) {
      expect(seasonsOf(sub).has("summer"), sub).toBe(false);
      expect(seasonsOf(sub).has("winter"), sub).toBe(true);
    }
    expect(seasonsOf("boots").has("summer")).toBe(false);
    // A fit in a title is the piece's own: only trousers, jeans and the like are wide-leg.
    const wideLeg = sample.filter((p) => p.title.startsWith("Wide-Leg "));
    expect(wideLeg.length).toBeGreaterThan(0);
    expect(new Set(wideLeg.map((p) => p.category))).toEqual(new Set(["bottoms"]));
    // Pieces without a season of their own still follow their fabric: a linen shirt is for summer.
    expect(sample.filter((p) => p.subcategory === "shirts" && p.materials[0] === "linen").every((p) => p.seasons.join() === "spring,summer")).toBe(true);
  });

  it("places items sharing a style nearer each other than items of opposite styles", () => {
    const centre = (tag: string) => {
      const points = sample.filter((p) => p.styleTags[0] === tag).map((p) => p.position);
      return { x: points.reduce((s, p) => s + p.x, 0) / points.length, y: points.reduce((s, p) => s + p.y, 0) / points.length };
    };
    const spread = (tag: string) => {
      const c = centre(tag);
      const points = sample.filter((p) => p.styleTags[0] === tag).map((p) => p.position);
      return points.reduce((s, p) => s + Math.hypot(p.x - c.x, p.y - c.y), 0) / points.length;
    };
    const distance = (a: string, b: string) => Math.hypot(centre(a).x - centre(b).x, centre(a).y - centre(b).y);
    expect(distance("classic", "preppy")).toBeLessThan(distance("classic", "streetwear"));
    expect(spread("classic")).toBeLessThan(distance("classic", "streetwear") / 2);
  });
});
