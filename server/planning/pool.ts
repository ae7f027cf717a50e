import type { PoolRow } from "@/db/repos/plans";
import type { CatalogIndex } from "../search/index";

/**
 * The candidate pool of a plan, read from the in-memory catalog index (server/search/index.ts) rather
 * than from Postgres: in season, priced within the budget, in stock, in the person's departments (and
 * unisex), not rated down, accessories only of the kinds the plan takes; then per category the
 * `perCategory` items the person should like first (rated up first, then the most of their style tags
 * shared, then the cheaper, then by id) and the `cheapPerCategory` cheapest (then by id). About 10,000
 * items in all, sorted by id.
 *
 * The same rows the SQL it replaced returned (checked on the bench's database across seasons, budgets,
 * departments and ratings), in about a tenth of the time: the SQL read and sorted every product in
 * season on each plan (about 400 ms at 100,000 products, ten times that at a million).
 */
export interface PoolOptions {
  season: string;
  maxPriceMinor: number;
  styleTags: readonly string[];
  perCategory: number;
  cheapPerCategory: number;
  /** Who they shop for: these departments and unisex; empty: any. */
  departments?: readonly string[];
  /** Accessories the plan takes (rule 7 of server/planning/rules.ts); none when absent. */
  accessorySubcategories?: readonly string[];
}

export function candidatePool(index: CatalogIndex, ratings: ReadonlyMap<string, number>, options: PoolOptions): PoolRow[] {
  const season = index.seasonNames.find(options.season);
  if (season === undefined) return [];
  const seasonBit = season < 16 ? 1 << season : 0;
  const codes = (dictionary: { find(value: string): number | undefined }, values: readonly string[]) =>
    new Set(values.map((v) => dictionary.find(v)).filter((c): c is number => c !== undefined));
  const departments = options.departments?.length ? codes(index.departments, [...options.departments, "unisex"]) : null;
  const accessoriesCode = index.categories.find("accessories");
  const accessoryKinds = codes(index.subcategories, options.accessorySubcategories ?? []);
  // The person's style tags, once each; those among the first 32 codes are counted from the item's mask.
  const tags = [...new Set(options.styleTags)];
  let tagMask = 0;
  let slowTags = false;
  for (const tag of tags) {
    const code = index.styles.find(tag);
    if (code === undefined) continue;
    if (code < 32) tagMask |= 1 << code;
    else slowTags = true;
  }
  const shared = (o: number): number => {
    if (!slowTags) return popcount(index.styleMask[o]! & tagMask);
    const mine = new Set(index.styleOf(o).styleTags);
    return tags.filter((t) => mine.has(t)).length;
  };

  const byCategory = new Map<number, number[]>();
  for (let o = 0; o < index.size; o++) {
    if (!index.alive[o] || index.price[o]! > options.maxPriceMinor || index.sizes[o]!.length === 0) continue;
    if (seasonBit ? (index.seasonBits[o]! & seasonBit) === 0 : !index.styleOf(o).seasons.includes(options.season)) continue;
    if (departments && !departments.has(index.department[o]!)) continue;
    const category = index.category[o]!;
    if (category === accessoriesCode && !accessoryKinds.has(index.subcategory[o]!)) continue;
    if ((ratings.get(index.ids[o]!) ?? 0) < 0) continue;
    let list = byCategory.get(category);
    if (!list) byCategory.set(category, (list = []));
    list.push(o);
  }

  const kept = new Set<number>();
  // Ids compared as the SQL did (by code unit); ordinals of the id-ordered prefix compare as numbers.
  const { ids, idOrderedBelow, price } = index;
  const byId = (a: number, b: number) => (a < idOrderedBelow && b < idOrderedBelow ? a - b : ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0);
  /**
   * Keeps the first `n` of `list` in the order of (key, then id), without sorting the list with a
   * comparator: the keys alone are sorted natively to find the n-th key, and only the items on that
   * key are ordered by id. Comparator sorts of every list were most of a pool's time (55 of 75 ms at
   * 100,000 products).
   */
  const keepFirst = (list: readonly number[], key: Float64Array, n: number) => {
    if (list.length <= n) {
      for (const o of list) kept.add(o);
      return;
    }
    if (n <= 0) return;
    const last = Float64Array.from(key).sort()[n - 1]!;
    const tied: number[] = [];
    let room = n;
    for (let k = 0; k < list.length; k++) {
      if (key[k]! < last) {
        kept.add(list[k]!);
        room--;
      } else if (key[k] === last) tied.push(list[k]!);
    }
    for (const o of tied.sort(byId).slice(0, room)) kept.add(o);
  };
  for (const list of byCategory.values()) {
    // Liked first: rated up, then more style tags shared, then cheaper. Ratings are -1…1 and prices
    // int32, so one float orders them exactly (and items of one key differ only by id).
    keepFirst(list, Float64Array.from(list, (o) => (-(ratings.get(ids[o]!) ?? 0) * 64 - Math.min(shared(o), 63)) * 2 ** 32 + price[o]!), options.perCategory);
    keepFirst(list, Float64Array.from(list, (o) => price[o]!), options.cheapPerCategory);
  }
  return [...kept].sort(byId).map((o) => {
    const card = index.summaryOf(o);
    const style = index.styleOf(o);
    return {
      id: card.id,
      title: card.title,
      brand: card.brand,
      category: card.category,
      subcategory: card.subcategory,
      colors: card.colors,
      pattern: style.pattern,
      formality: style.formality,
      seasons: style.seasons,
      styleTags: style.styleTags,
      occasions: style.occasions,
      weather: style.weather,
      priceMinor: card.priceMinor,
      sizesInStock: card.sizesInStock,
      rating: ratings.get(card.id) ?? 0,
    };
  });
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
