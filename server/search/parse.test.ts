import { describe, expect, it } from "vitest";
import { generateProduct } from "@/db/seed/catalog";
import { CatalogIndex } from "./index";
import { maxEditsFor } from "./spelling";
import { describeUnderstanding, understand } from "./service";

// The parser reads against a catalog's vocabulary: a small generated one is enough.
const index = new CatalogIndex();
for (let i = 0; i < 3000; i++) index.add(generateProduct(i) as never);
index.seal();
const parse = (q: string) => understand(index, q);
const kinds = (q: string) => parse(q).clauses.map((c) => `${c.kind}:${c.label}`);

describe("query understanding", () => {
  it("prices: under, below, between, ranges, around, bare dollars", () => {
    expect(parse("leather boots under 150")).toMatchObject({ maxPriceMinor: 15000 });
    expect(parse("leather boots under 150").minPriceMinor).toBeUndefined();
    expect(parse("dress below $80")).toMatchObject({ maxPriceMinor: 8000 });
    expect(parse("coat between 50 and 100")).toMatchObject({ minPriceMinor: 5000, maxPriceMinor: 10000 });
    expect(parse("coat between 100 and 50")).toMatchObject({ minPriceMinor: 5000, maxPriceMinor: 10000 });
    expect(parse("jeans $40-$60")).toMatchObject({ minPriceMinor: 4000, maxPriceMinor: 6000 });
    expect(parse("shirt over 200")).toMatchObject({ minPriceMinor: 20000 });
    expect(parse("bag around 100")).toMatchObject({ minPriceMinor: 8000, maxPriceMinor: 12000 });
    expect(parse("sneakers under 99.50 dollars")).toMatchObject({ maxPriceMinor: 9950 });
    expect(parse("a $120 blazer")).toMatchObject({ maxPriceMinor: 12000 });
    // The number is consumed: it is not a word that must match.
    expect(kinds("leather boots under 150")).toEqual(["material:leather", "garment:boots"]);
  });

  it("price tiers: cheap and luxury are soft clauses, not filters", () => {
    expect(kinds("cheap jeans")).toEqual(["tier:cheap", "garment:jeans"]);
    expect(parse("luxury coat").clauses[0]).toMatchObject({ kind: "tier", tokens: ["k:luxury", "k:premium"] });
    expect(parse("cheap jeans").maxPriceMinor).toBeUndefined();
  });

  it("colours (one and two words), materials, patterns and garments", () => {
    expect(kinds("navy blazer")).toEqual(["color:navy", "garment:blazer"]);
    expect(kinds("light blue linen shirt")).toEqual(["color:light blue", "material:linen", "garment:shirt"]);
    expect(kinds("floral midi skirt")).toEqual(["pattern:floral", "length:midi", "garment:skirt"]);
    expect(kinds("grey tee")).toEqual(["color:gray", "garment:tshirt"]);
  });

  it("departments, from the ways people say who it is for", () => {
    expect(parse("gift for my boyfriend")).toMatchObject({ department: "men", clauses: [] });
    expect(parse("jackets for men").department).toBe("men");
    expect(parse("men's jackets").department).toBe("men");
    expect(parse("womens jeans").department).toBe("women");
    expect(parse("something for her").department).toBe("women");
    expect(parse("kids hoodie").department).toBe("kids");
  });

  it("occasions and weather", () => {
    expect(kinds("black dress for a wedding")).toEqual(["color:black", "garment:dress", "occasion:wedding"]);
    expect(kinds("navy blazer for work")).toContain("occasion:work");
    expect(kinds("smart casual outfit for the office")).toEqual(["occasion:smart casual"]);
    expect(kinds("something for a beach holiday")).toEqual(["occasion:beach holiday"]);
    expect(kinds("party")).toEqual(["occasion:party"]);
    expect(kinds("black tie")).toEqual(["occasion:black tie"]);
    expect(kinds("warm winter coat")).toEqual(["weather:warm", "garment:coat"]);
    expect(kinds("waterproof jacket")).toEqual(["weather:waterproof", "garment:jacket"]);
    expect(kinds("comfortable running shoes")).toEqual(["garment:running shoes", "occasion:running shoes"]);
  });

  it("sizes", () => {
    expect(parse("jeans in 32").sizes).toEqual(["32"]);
    expect(parse("blazer in M").sizes).toEqual(["M"]);
    expect(parse("sneakers size 42").sizes).toEqual(["42"]);
    expect(parse("hoodie in medium").sizes).toEqual(["M"]);
    expect(parse("boots size eu 39").sizes).toEqual(["39"]);
    // "in black" is a colour, not a size.
    expect(parse("dress in black")).toMatchObject({ sizes: [] });
    expect(kinds("dress in black")).toEqual(["garment:dress", "color:black"]);
  });

  it("simple negation", () => {
    const notBlack = parse("dress not black");
    expect(notBlack.exclude).toEqual([{ label: "not black", tokens: ["c:black", "t:black"] }]);
    expect(notBlack.clauses.map((c) => c.label)).toEqual(["dress"]);
    expect(parse("boots without leather").exclude[0]!.tokens).toContain("m:leather");
    expect(parse("no polka dot dress").exclude[0]!.label).toBe("not polka dot");
  });

  it("words with no product meaning are not required, and are reported", () => {
    const q = parse("something nice to wear for my sister please");
    expect(q.clauses).toEqual([]);
    expect(q.department).toBe("women");
    expect(q.ignored).toEqual(expect.arrayContaining(["something", "nice", "please"]));
  });

  it("corrects typos only in words that are not words, bounded by length", () => {
    expect(parse("jakcet").corrections).toEqual([{ from: "jakcet", to: "jacket" }]);
    expect(parse("swaeter").clauses[0]!.label).toBe("sweater");
    expect(parse("weddding dress").clauses.map((c) => c.kind)).toEqual(["occasion", "garment"]);
    // Real words are never "corrected" into catalog words.
    for (const word of ["party", "form", "smart", "soft", "cream", "black", "wool", "under", "something", "boyfriend"]) {
      expect(parse(word).corrections).toEqual([]);
    }
    // Under five letters: no edits at all ("tee" is not "tea", "bage" is not "bag").
    expect(parse("bage").corrections).toEqual([]);
    expect([maxEditsFor("coat"), maxEditsFor("jakcet"), maxEditsFor("cashmeere")]).toEqual([0, 1, 2]);
    // A typo never lands on a department word.
    expect(parse("wemon jeans").department).toBeUndefined();
  });

  it("says how it understood the words", () => {
    expect(describeUnderstanding(parse("black dress for a wedding under 200 not silk"))).toBe(
      "black · dress · occasion: wedding-guest · at most $200 · not silk",
    );
  });
});
