import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PoolRow } from "@/db/repos/plans";
import { generateProduct } from "@/db/seed/catalog";
import { STYLE_WHEEL } from "@/db/seed/vocabulary";
import { CatalogIndex, type IndexedProduct } from "../search/index";
import { candidatePool, type PoolOptions } from "./pool";

/**
 * A generated catalog with the index's life in it: a bulk load in id order, removals, and items added
 * after it whose ids fall anywhere (so the id-ordered prefix ends and ids must be compared as strings).
 */
const row = (n: number, id?: string): IndexedProduct => {
  const p = generateProduct(n);
  return { ...p, id: id ?? p.id, position: p.position! } as IndexedProduct;
};
const loaded = Array.from({ length: 1500 }, (_, n) => row(n)).sort((a, b) => (a.id < b.id ? -1 : 1));
const index = new CatalogIndex();
for (const p of loaded) index.add(p);
index.seal();
const removed = new Set(loaded.filter((_, k) => k % 29 === 0).map((p) => p.id));
for (const id of removed) index.remove(id);
// Late items: ids that sort between and before the loaded ones, and one re-added (an update).
const late = [row(1500, "prd_0000late"), row(1501, "prd_zzzlate"), row(1502, `${loaded[700]!.id}~late`), { ...row(1503), id: loaded[10]!.id }];
for (const p of late) index.add(p);
const live = new Map<string, IndexedProduct>([...loaded.filter((p) => !removed.has(p.id)), ...late].map((p) => [p.id, p]));
const ids = [...live.keys()];

/** The SQL the pool replaced, written out plainly: filter, rank per category two ways, keep either top. */
function reference(ratings: ReadonlyMap<string, number>, o: PoolOptions): string[] {
  const departments = o.departments?.length ? new Set([...o.departments, "unisex"]) : null;
  const tags = new Set(o.styleTags);
  const rows = [...live.values()].filter(
    (p) =>
      p.seasons.includes(o.season) &&
      p.priceMinor <= o.maxPriceMinor &&
      p.sizesInStock.length > 0 &&
      (p.category !== "accessories" || (o.accessorySubcategories ?? []).includes(p.subcategory)) &&
      (ratings.get(p.id) ?? 0) >= 0 &&
      (!departments || departments.has(p.department)),
  );
  const byId = (a: IndexedProduct, b: IndexedProduct) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const shared = (p: IndexedProduct) => new Set(p.styleTags.filter((t) => tags.has(t))).size;
  const kept = new Set<string>();
  for (const category of new Set(rows.map((p) => p.category))) {
    const mine = rows.filter((p) => p.category === category);
    const liked = [...mine].sort((a, b) => (ratings.get(b.id) ?? 0) - (ratings.get(a.id) ?? 0) || shared(b) - shared(a) || a.priceMinor - b.priceMinor || byId(a, b));
    const cheap = [...mine].sort((a, b) => a.priceMinor - b.priceMinor || byId(a, b));
    for (const p of [...liked.slice(0, o.perCategory), ...cheap.slice(0, o.cheapPerCategory)]) kept.add(p.id);
  }
  return [...kept].sort();
}

describe("the plan's candidate pool from the catalog index", () => {
  it("keeps exactly the items the ranking keeps, whatever the season, budget, departments, tags and ratings", () => {
    fc.assert(
      fc.property(
        fc.record({
          season: fc.constantFrom("spring", "summer", "autumn", "winter", "monsoon"),
          maxPriceMinor: fc.integer({ min: 0, max: 40_000 }),
          styleTags: fc.subarray([...STYLE_WHEEL, "not-a-style"]),
          perCategory: fc.integer({ min: 0, max: 60 }),
          cheapPerCategory: fc.integer({ min: 0, max: 20 }),
          departments: fc.option(fc.subarray(["women", "men", "kids"]), { nil: undefined }),
          accessorySubcategories: fc.option(fc.subarray(["scarves", "hats", "bags", "belts"]), { nil: undefined }),
        }),
        fc.array(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(-1, 1, 2)), { maxLength: 80 }),
        (options, rated) => {
          const ratings = new Map(rated);
          const pool = candidatePool(index, ratings, options);
          expect(pool.map((r) => r.id)).toEqual(reference(ratings, options));
          for (const r of pool.slice(0, 20)) {
            const p = live.get(r.id)!;
            const expected: PoolRow = {
              id: p.id,
              title: p.title,
              brand: p.brand,
              category: p.category,
              subcategory: p.subcategory,
              colors: p.colors,
              pattern: p.pattern,
              formality: p.formality,
              seasons: p.seasons,
              styleTags: p.styleTags,
              occasions: p.occasions,
              weather: p.weather,
              priceMinor: p.priceMinor,
              sizesInStock: p.sizesInStock,
              rating: ratings.get(p.id) ?? 0,
            };
            expect(r).toEqual(expected);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
