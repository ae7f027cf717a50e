import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseMerchantFeed, parsePrice } from "./merchant-feed";

const fixture = (name: string) => readFileSync(path.join(process.cwd(), "tests", "fixtures", name), "utf8");

describe("Google Merchant Center feeds", () => {
  it("reads gender and age_group into the department, and derives occasions, weather, fit and length", () => {
    const tsv = [
      "id\ttitle\tprice\tbrand\tproduct_type\tgender\tage_group\tmaterial\tcolor\tsize\tavailability",
      "A1\tSlim Wool Coat\t240.00 USD\tNorth\tOuterwear > Coats\tmale\tadult\tWool\tNavy\tM\tin stock",
      "A2\tFloral Midi Skirt\t60.00 USD\tNorth\tSkirts\tfemale\tadult\tViscose\tRed\tS\tin stock",
      "A3\tKids Rain Jacket\t45.00 USD\tNorth\tOuterwear > Jackets\tunisex\tkids\tNylon\tYellow\t6\tin stock",
      "A4\tCanvas Sneakers\t50.00 USD\tNorth\tShoes\tunisex\tadult\tCanvas\tWhite\t42\tin stock",
      "A5\tWomen's Linen Shirt\t50.00 USD\tNorth\tTops\t\t\tLinen\tWhite\tM\tin stock",
    ].join("\n");
    const { products } = parseMerchantFeed(tsv);
    const by = (id: string) => products.find((p) => p.externalId === id)!;
    expect(by("A1")).toMatchObject({ department: "men", subcategory: "coats", fit: "slim", weather: ["warm"], seasons: ["autumn", "winter"] });
    expect(by("A1").occasions).toContain("work");
    expect(by("A2")).toMatchObject({ department: "women", subcategory: "skirts", length: "midi" });
    expect(by("A3")).toMatchObject({ department: "kids", weather: ["waterproof"] });
    expect(by("A4")).toMatchObject({ department: "unisex", fit: null, length: null });
    // No gender column value: the title says who it is for.
    expect(by("A5")).toMatchObject({ department: "women", weather: ["breathable"] });
  });

  it("folds variants of an item group into one product with the in-stock sizes", () => {
    const { products } = parseMerchantFeed(fixture("merchant-feed.xml"));
    const jacket = products.find((p) => p.externalId === "HS-1001");
    expect(jacket).toMatchObject({
      id: "prd_f_hs-1001",
      source: "feed",
      title: "Waxed Cotton Field Jacket",
      brand: "Harbor Street",
      category: "outerwear",
      subcategory: "jackets",
      colors: ["olive"],
      sizesInStock: ["M", "L"],
      priceMinor: 18900,
      currency: "USD",
      imageUrl: "https://shop.example/img/hs-1001.jpg",
      productUrl: "https://shop.example/p/hs-1001",
    });
    expect(jacket?.styleTags).toContain("workwear");
  });

  it("uses the sale price and infers style from the words", () => {
    const { products } = parseMerchantFeed(fixture("merchant-feed.xml"));
    const dress = products.find((p) => p.externalId === "HS-2002");
    expect(dress).toMatchObject({ category: "dresses", priceMinor: 9900, sizesInStock: ["S", "M"] });
    expect(dress?.styleTags).toContain("romantic");
  });

  it("skips what is not apparel or not in USD, saying why", () => {
    const { skipped } = parseMerchantFeed(fixture("merchant-feed.xml"));
    expect(skipped).toEqual([
      { id: "HS-3003", reason: expect.stringContaining("no apparel category") },
      { id: "HS-4004", reason: "currency EUR is not USD" },
    ]);
  });

  it("reads the tab-separated format too", () => {
    const { products, skipped } = parseMerchantFeed(fixture("merchant-feed.tsv"));
    expect(products.map((p) => [p.externalId, p.subcategory])).toEqual([
      ["TS-1", "shirts"],
      ["TS-2", "running-shorts"],
    ]);
    expect(skipped).toEqual([{ id: "TS-3", reason: "no title" }]);
  });

  it.each([
    ["49.99 USD", { amountMinor: 4999, currency: "USD" }],
    ["USD 10", { amountMinor: 1000, currency: "USD" }],
    ["$5.5", { amountMinor: 550, currency: "USD" }],
    ["12,50 EUR", { amountMinor: 1250, currency: "EUR" }],
    ["free", null],
  ])("parses the price %s", (input, expected) => {
    expect(parsePrice(input)).toEqual(expected);
  });
});
