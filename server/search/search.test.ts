import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateProduct } from "@/db/seed/catalog";
import { STYLE_WHEEL } from "@/db/seed/vocabulary";
import { CatalogIndex, type IndexedProduct } from "./index";
import { searchIndex, type Person, type SearchFilters } from "./search";
import { understand } from "./service";

/** A generated catalog with the index's life in it: a bulk load, removals, and items added after it. */
function catalog(): CatalogIndex {
  const index = new CatalogIndex();
  const row = (n: number): IndexedProduct => {
    const p = generateProduct(n);
    return { ...p, position: p.position! } as IndexedProduct;
  };
  for (let n = 0; n < 3000; n++) index.add(row(n));
  index.seal();
  for (let n = 0; n < 3000; n += 37) index.remove(generateProduct(n).id);
  for (let n = 3000; n < 3400; n++) index.add(row(n));
  return index;
}

const index = catalog();
const ids = index.ids.filter((id) => index.ordinalOf.has(id));

const person = fc.record({
  styleTags: fc.subarray([...STYLE_WHEEL]),
  sizes: fc.constantFrom({}, { top: "M" }, { top: "S", waist: "32", shoe: "EU 42" }, { dress: "M", shoe: "EU 38" }),
  liked: fc.subarray(ids.slice(0, 1500), { maxLength: 40 }),
  disliked: fc.subarray(ids.slice(1500, 2200), { maxLength: 10 }),
}) as fc.Arbitrary<Person>;

const filters: fc.Arbitrary<SearchFilters> = fc.record(
  {
    departments: fc.subarray(["women", "men", "unisex", "kids"], { minLength: 1 }),
    minPriceMinor: fc.integer({ min: 0, max: 20_000 }),
    maxPriceMinor: fc.integer({ min: 5_000, max: 100_000 }),
    categories: fc.subarray(["tops", "shoes", "outerwear", "dresses", "sneakers", "jackets"], { minLength: 1 }),
  },
  { requiredKeys: [] },
);

describe("search pruning (personal bounds, broad clauses counted last)", () => {
  it("gives exactly the page that scoring every candidate gives", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("", "", "something for my boyfriend", "for her", "navy", "warm coat for work", "black dress", "not black", "navy blazer for work", "cheap jeans", "black dress for a wedding", "leather boots for work under 150", "jacket", "waterproof jakcet", "warm winter coat", "floral silk blouse", "striped cotton shirt", "wool knit sweater"),
        fc.option(person, { nil: null }),
        // No filter, or departments alone, often: then a broad clause is added from its token's bits.
        fc.oneof(fc.constant({}), fc.record({ departments: fc.subarray(["women", "men", "unisex", "kids"], { minLength: 1 }) }), filters),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 24 }),
        (q, who, narrow, offset, limit) => {
          const parsed = understand(index, q);
          const pruned = searchIndex(index, parsed, narrow, who, { offset, limit });
          const exhaustive = searchIndex(index, parsed, narrow, who, { offset, limit, exhaustive: true });
          expect(pruned).toEqual(exhaustive);
          // Searches share scratch buffers: a search leaves them as it found them.
          expect(searchIndex(index, parsed, narrow, who, { offset, limit })).toEqual(pruned);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("ranks a listing by the person's signals: near what they liked first, what they disliked never on top", () => {
    const liked = ids.slice(0, 5);
    const outcome = searchIndex(index, understand(index, ""), {}, { styleTags: [], sizes: {}, liked, disliked: [] }, { offset: 0, limit: 10 });
    expect(outcome.total).toBe(index.live);
    expect(outcome.hits[0]!.why).toContain("like items you liked");
    const disliked = outcome.hits[0]!.id;
    const after = searchIndex(index, understand(index, ""), {}, { styleTags: [], sizes: {}, liked, disliked: [disliked] }, { offset: 0, limit: 10 });
    expect(after.hits.map((h) => h.id)).not.toContain(disliked);
  });
});

describe("the page from the items matching every clause", () => {
  it("is used only when nothing matching fewer clauses can tie with it", () => {
    // "floral silk blouse" (1.5 + 1.5 + 3): a silk blouse that is not floral scores 4.5 from its own
    // attributes; a shirt only titled "floral silk blouse" matches every clause, but each loosely, for
    // 1 + 1 + 2.5 = 4.5 as well. They tie, so the lower ordinal (the silk blouse) comes first.
    const tie = new CatalogIndex();
    const item = (n: number, fields: Record<string, unknown>): IndexedProduct => {
      const p = generateProduct(n);
      return { ...p, position: p.position!, ...fields } as IndexedProduct;
    };
    tie.add(item(1, { id: "silk-blouse", title: "Silk Blouse", searchText: "silk blouse", category: "tops", subcategory: "blouses", materials: ["silk"], pattern: "solid", colors: ["white"] }));
    tie.add(item(2, { id: "titled-shirt", title: "Floral Silk Blouse", searchText: "floral silk blouse", category: "tops", subcategory: "shirts", materials: ["cotton"], pattern: "solid", colors: ["white"] }));
    // Other items, one of them floral (so "floral" reads as the pattern, with the title word as its loose reading).
    for (let n = 3; n < 40; n++) tie.add(item(n, { category: "shoes", subcategory: "sneakers", materials: ["leather"], pattern: n === 3 ? "floral" : "solid", searchText: "plain sneaker" }));
    const parsed = understand(tie, "floral silk blouse");
    expect(parsed.clauses.map((c) => c.weight)).toEqual([1.5, 1.5, 3]);
    const page = searchIndex(tie, parsed, {}, null, { offset: 0, limit: 1 });
    expect(page).toEqual(searchIndex(tie, parsed, {}, null, { offset: 0, limit: 1, exhaustive: true }));
    expect(page.hits[0]!.id).toBe("silk-blouse");
  });
});

describe("what related words add", () => {
  it("is each item of the related lists holding no own token, once, and follows additions", () => {
    const fresh = catalog();
    const naive = (own: string[], related: string[]) => {
      const mine = new Set<number>();
      for (const t of own) fresh.forEach(t, (o) => mine.add(o));
      const added = new Set<number>();
      for (const t of related) fresh.forEach(t, (o) => (mine.has(o) ? undefined : added.add(o)));
      return [...added].sort((a, b) => a - b);
    };
    const clause = understand(fresh, "jacket").clauses[0]!;
    expect(clause.related?.length).toBeGreaterThan(0);
    const before = [...fresh.relatedOnly(clause.tokens, clause.related!)];
    expect(before).toEqual(naive(clause.tokens, clause.related!));
    expect(before.length).toBeGreaterThan(0);
    // A parka added later is added by "jacket" too.
    const parka = { ...generateProduct(5000), id: "late-parka", subcategory: "parkas", category: "outerwear" };
    fresh.add({ ...parka, position: parka.position! } as IndexedProduct);
    const after = [...fresh.relatedOnly(clause.tokens, clause.related!)];
    expect(after).toEqual(naive(clause.tokens, clause.related!));
    expect(after).toContain(fresh.ordinalOf.get("late-parka"));
  });
});

describe("result cards from the index", () => {
  it("show each product as the catalog holds it", () => {
    for (const n of [1, 2, 37 * 3 + 1, 2999, 3000, 3399]) {
      const p = generateProduct(n);
      const o = index.ordinalOf.get(p.id)!;
      expect(index.summaryOf(o)).toEqual({
        id: p.id,
        title: p.title,
        brand: p.brand,
        category: p.category,
        subcategory: p.subcategory,
        department: p.department,
        colors: p.colors,
        sizesInStock: p.sizesInStock,
        priceMinor: p.priceMinor,
        currency: p.currency ?? "USD",
        imageUrl: p.imageUrl ?? null,
      });
    }
  });

  it("keep a currency given after many other shown values (codes past a byte)", () => {
    const late = new CatalogIndex();
    for (let n = 0; n < 400; n++) {
      const p = generateProduct(n);
      late.add({ ...p, brand: `Brand ${n}`, position: p.position! } as IndexedProduct);
    }
    const p = generateProduct(400);
    late.add({ ...p, currency: "EUR", position: p.position! } as IndexedProduct);
    expect(late.summaryOf(late.ordinalOf.get(p.id)!).currency).toBe("EUR");
  });
});
