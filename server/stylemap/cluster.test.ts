import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CatalogIndex, type IndexedProduct } from "../search/index";
import { KEPT_CELLS, keptCells, queryMap, type MapAnswer, type MapFilters } from "./cluster";
import { StyleMapIndex } from "./map-index";
import { MAX_CLUSTER_ZOOM, WORLD_MIN, WORLD_SIZE, quantize, type Viewport } from "./space";

const CATEGORIES = ["tops", "bottoms", "shoes", "outerwear"];
const BRANDS = ["Acme", "Birch", "Cobalt"];
const COLORS = ["black", "navy", "red", "cream"];
const DEPARTMENTS = ["women", "men", "unisex"] as const;

interface Item {
  x: number;
  y: number;
  category: number;
  brand: number;
  color: number;
  department: number;
  price: number;
}

function product(item: Item, n: number): IndexedProduct {
  return {
    id: `prd_${n}`,
    title: `Test item ${n}`,
    currency: "USD",
    imageUrl: null,
    searchText: "test",
    brand: BRANDS[item.brand]!,
    category: CATEGORIES[item.category]!,
    subcategory: `${CATEGORIES[item.category]}-sub`,
    department: DEPARTMENTS[item.department]!,
    brandTier: "mid",
    priceMinor: item.price,
    position: { x: item.x, y: item.y },
    colors: [COLORS[item.color]!],
    materials: ["cotton"],
    pattern: "solid",
    styleTags: ["classic"],
    sizesInStock: ["M"],
    occasions: [],
    weather: [],
    fit: null,
    length: null,
    seasons: ["spring"],
    formality: 2,
  };
}

const coordinate = fc.oneof(fc.double({ min: -140, max: 140, noNaN: true }), fc.constantFrom(-20, 0, 0.5, 33.3));
const itemArb = fc.record({
  x: coordinate,
  y: coordinate,
  category: fc.nat(CATEGORIES.length - 1),
  brand: fc.nat(BRANDS.length - 1),
  color: fc.nat(COLORS.length - 1),
  department: fc.nat(DEPARTMENTS.length - 1),
  price: fc.integer({ min: 100, max: 50_000 }),
});
const filtersArb: fc.Arbitrary<MapFilters> = fc.record(
  {
    // Categories or subcategories, as the tools take them (a subcategory and its category together too).
    categories: fc.subarray([...CATEGORIES, "tops-sub", "shoes-sub"], { minLength: 1 }),
    brands: fc.subarray(BRANDS.map((b) => b.toLowerCase()), { minLength: 1 }),
    colors: fc.subarray(COLORS, { minLength: 1 }),
    departments: fc.subarray([...DEPARTMENTS], { minLength: 1 }),
    minPriceMinor: fc.integer({ min: 0, max: 25_000 }),
    maxPriceMinor: fc.integer({ min: 25_000, max: 60_000 }),
  },
  { requiredKeys: [] },
);
const viewportArb: fc.Arbitrary<Viewport> = fc
  .tuple(fc.double({ min: -200, max: 200, noNaN: true }), fc.double({ min: -200, max: 200, noNaN: true }), fc.double({ min: 0.5, max: 400, noNaN: true }), fc.double({ min: 0.5, max: 400, noNaN: true }))
  .map(([x, y, w, h]) => ({ xmin: x, xmax: x + w, ymin: y, ymax: y + h }));

function build(items: Item[], extra: Item[] = [], removed: number[] = []) {
  const catalog = new CatalogIndex();
  items.forEach((item, n) => catalog.add(product(item, n)));
  catalog.seal();
  const map = new StyleMapIndex(catalog);
  // Items added after the sort live in the unsorted tail; they must count the same.
  extra.forEach((item, n) => catalog.add(product(item, items.length + n)));
  map.catchUp();
  // Items removed after the sort stay in the arrays, flagged dead (and in the price-sorted blocks' copy).
  const all = [...items, ...extra];
  const gone = new Set(all.length ? removed.map((r) => r % all.length) : []);
  for (const n of gone) catalog.remove(`prd_${n}`);
  if (gone.size) map.catchUp();
  return { catalog, map, all, gone };
}

function matches(item: Item, f: MapFilters): boolean {
  return (
    (!f.categories || f.categories.includes(CATEGORIES[item.category]!) || f.categories.includes(`${CATEGORIES[item.category]}-sub`)) &&
    (!f.brands || f.brands.includes(BRANDS[item.brand]!.toLowerCase())) &&
    (!f.colors || f.colors.includes(COLORS[item.color]!)) &&
    (!f.departments || f.departments.includes(DEPARTMENTS[item.department]!)) &&
    (f.minPriceMinor === undefined || item.price >= f.minPriceMinor) &&
    (f.maxPriceMinor === undefined || item.price <= f.maxPriceMinor)
  );
}

/** A cluster's top three categories and colours, by brute force: most members first, then dictionary order. */
function expectFacets(c: { topCategories: Array<{ value: string; count: number }>; topColors: Array<{ value: string; count: number }> }, members: Item[], catalog: CatalogIndex) {
  const top = (names: string[], dictionary: readonly string[]) => {
    const counts = new Map<string, number>();
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    return [...counts]
      .sort((a, b) => b[1] - a[1] || dictionary.indexOf(a[0]) - dictionary.indexOf(b[0]))
      .slice(0, 3)
      .map(([value, count]) => ({ value, count }));
  };
  expect(c.topCategories).toEqual(top(members.map((m) => CATEGORIES[m.category]!), catalog.categories.values));
  expect(c.topColors).toEqual(top(members.map((m) => COLORS[m.color]!), catalog.colorNames.values));
}

/**
 * Every cluster of an answer whose viewport holds all the items holds exactly its cell's items under the
 * filters (removed ones excluded): count, price range, bounds, centroid, top facets, and a member as its
 * representative; and the total adds up.
 */
function expectCellsExact(answer: MapAnswer, built: ReturnType<typeof build>, filters: MapFilters) {
  const { map, all, gone, catalog } = built;
  const shift = 16 - answer.level;
  const byCell = new Map<string, Item[]>();
  all.forEach((item, n) => {
    if (gone.has(n) || !matches(item, filters)) return;
    const key = `${quantize(Math.fround(item.x)) >> shift}:${quantize(Math.fround(item.y)) >> shift}`;
    byCell.set(key, [...(byCell.get(key) ?? []), item]);
  });
  expect(answer.total).toBe([...byCell.values()].reduce((n, list) => n + list.length, 0));
  for (const c of answer.clusters) {
    const members = byCell.get(c.id.split(":").slice(1).join(":"))!;
    expect(c.count).toBe(members.length);
    expect(c.minPriceMinor).toBe(Math.min(...members.map((m) => m.price)));
    expect(c.maxPriceMinor).toBe(Math.max(...members.map((m) => m.price)));
    expect(c.bounds.xmin).toBeCloseTo(Math.min(...members.map((m) => Math.fround(m.x))), 9);
    expect(c.bounds.xmax).toBeCloseTo(Math.max(...members.map((m) => Math.fround(m.x))), 9);
    expect(c.bounds.ymin).toBeCloseTo(Math.min(...members.map((m) => Math.fround(m.y))), 9);
    expect(c.bounds.ymax).toBeCloseTo(Math.max(...members.map((m) => Math.fround(m.y))), 9);
    expect(c.x).toBeCloseTo(members.reduce((sum, m) => sum + Math.fround(m.x), 0) / members.length, 6);
    expectFacets(c, members, catalog);
    const rep = all.findIndex((_, n) => `prd_${n}` === catalog.ids[map.ordinal[c.representative]!]);
    expect(members).toContain(all[rep]);
  }
}

/** Inside by quadtree position: the served viewport is whole cells, so this is exact at its edges. */
const q = (v: number) => ((v - WORLD_MIN) / WORLD_SIZE) * 65536;
const inside = (v: Viewport, x: number, y: number) =>
  quantize(x) >= q(v.xmin) && quantize(x) < q(v.xmax) && quantize(y) >= q(v.ymin) && quantize(y) < q(v.ymax);

describe("style map clustering", () => {
  it("counts add up: every item under the filters in the served viewport is in exactly one cluster or listed once", () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 300 }), fc.array(itemArb, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 12 }), viewportArb, fc.integer({ min: -3, max: 16 }), filtersArb, (items, extra, removed, viewport, zoom, filters) => {
        const { map, catalog, all, gone } = build(items, extra, removed);
        const answer = queryMap(map, { viewport, zoom, filters, limit: 10_000 });
        const expected = all
          .map((item, n) => ({ item, n }))
          .filter(({ item, n }) => !gone.has(n) && matches(item, filters) && answer.viewport && inside(answer.viewport, Math.fround(item.x), Math.fround(item.y)));
        const clustered = answer.clusters.reduce((sum, c) => sum + c.count, 0);
        expect(clustered + answer.singles.length + answer.omitted).toBe(answer.total);
        expect(answer.total).toBe(expected.length);
        // Singles are distinct, under the filters and inside the viewport.
        const singleIds = answer.singles.map((i) => catalog.ids[map.ordinal[i]!]);
        expect(new Set(singleIds).size).toBe(singleIds.length);
        const expectedIds = new Set(expected.map(({ n }) => `prd_${n}`));
        for (const id of singleIds) expect(expectedIds.has(id!)).toBe(true);
        for (const c of answer.clusters) {
          expect(c.count).toBeGreaterThanOrEqual(2);
          expect(c.x).toBeGreaterThanOrEqual(c.bounds.xmin - 1e-6);
          expect(c.x).toBeLessThanOrEqual(c.bounds.xmax + 1e-6);
          expect(c.expansionZoom).toBeGreaterThan(Math.floor(zoom));
          const rep = catalog.ids[map.ordinal[c.representative]!];
          expect(expectedIds.has(rep!)).toBe(true);
          const [, cx, cy] = c.id.split(":").map(Number);
          const shift = 16 - answer.level;
          const members = expected.filter(({ item }) => quantize(Math.fround(item.x)) >> shift === cx && quantize(Math.fround(item.y)) >> shift === cy).map(({ item }) => item);
          expect(members).toHaveLength(c.count);
          expectFacets(c, members, catalog);
        }
        if (zoom > MAX_CLUSTER_ZOOM) expect(answer.clusters).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it("is stable under pan: a cluster seen from two overlapping viewports is the same cluster", () => {
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 20, maxLength: 300 }), viewportArb, fc.double({ min: -50, max: 50, noNaN: true }), fc.integer({ min: -1, max: 6 }), filtersArb, (items, viewport, dx, zoom, filters) => {
        const { map } = build(items);
        const a = queryMap(map, { viewport, zoom, filters, limit: 10_000 });
        const panned = { ...viewport, xmin: viewport.xmin + dx, xmax: viewport.xmax + dx };
        const b = queryMap(map, { viewport: panned, zoom, filters, limit: 10_000 });
        const byId = new Map(b.clusters.map((c) => [c.id, c]));
        for (const c of a.clusters) {
          const same = byId.get(c.id);
          if (same) expect({ count: same.count, x: same.x, y: same.y, bounds: same.bounds }).toEqual({ count: c.count, x: c.x, y: c.y, bounds: c.bounds });
        }
      }),
      { numRuns: 100 },
    );
  });

  it("at whole-map zooms, cached parts give every cell exactly its items' figures (price bands, categories, departments, brands)", () => {
    // Coarse zooms answer a price band from the cached cells of the buckets it covers whole plus the
    // in-band slices of the two it cuts, and a category or department from cached cells per value: each
    // cluster must still hold exactly its cell's matching items, with their count, bounds and price range.
    const onlyPriceOrValue: fc.Arbitrary<MapFilters> = fc.oneof(
      fc.record({ minPriceMinor: fc.integer({ min: 0, max: 30_000 }), maxPriceMinor: fc.integer({ min: 20_000, max: 60_000 }) }, { requiredKeys: [] }),
      fc.record({ categories: fc.subarray([...CATEGORIES, "tops-sub"], { minLength: 1 }) }),
      fc.record({ departments: fc.subarray([...DEPARTMENTS], { minLength: 1 }) }),
      fc.record({ brands: fc.subarray(BRANDS.map((b) => b.toLowerCase()), { minLength: 1 }) }),
    );
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 200, maxLength: 1500 }), fc.array(itemArb, { maxLength: 20 }), fc.integer({ min: -3, max: 1 }), fc.array(onlyPriceOrValue, { minLength: 1, maxLength: 4 }), (items, extra, zoom, filterList) => {
        const built = build(items, extra);
        const whole = { xmin: -256, xmax: 256, ymin: -256, ymax: 256 };
        for (const filters of filterList) expectCellsExact(queryMap(built.map, { viewport: whole, zoom, filters, limit: 10_000 }), built, filters);
      }),
      { numRuns: 60 },
    );
  });

  it("a price band or a category at zooms 2-6 (records in list order, chunk summaries) gives every cell exactly its items' figures, removed items too", () => {
    // Dense items in a few zoom-4 cells, so that a band's slice of a block, or a category's slice of a
    // cell, holds whole chunks: they are added up from summaries, the ends scanned, and a chunk a
    // removal touched is scanned instead.
    const near = fc.double({ min: 0, max: 7.9, noNaN: true });
    const denseArb = fc.tuple(itemArb, near, near).map(([item, x, y]) => ({ ...item, x, y }));
    const bandArb: fc.Arbitrary<MapFilters> = fc.oneof(
      fc.record({ minPriceMinor: fc.integer({ min: 0, max: 30_000 }), maxPriceMinor: fc.integer({ min: 20_000, max: 60_000 }) }),
      fc.record({ categories: fc.subarray(CATEGORIES, { minLength: 1, maxLength: 2 }) }),
    );
    fc.assert(
      fc.property(fc.array(denseArb, { minLength: 100, maxLength: 1200 }), fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 2, max: 6 }), bandArb, (items, removed, zoom, filters) => {
        const built = build(items, [], removed);
        const view = { xmin: -20, xmax: 28, ymin: -20, ymax: 28 };
        expectCellsExact(queryMap(built.map, { viewport: view, zoom, filters, limit: 10_000 }), built, filters);
      }),
      { numRuns: 60 },
    );
  });

  it("keeps at most KEPT_CELLS cached cells, dropping the least recently used, and answers the same after a drop", () => {
    const saved = KEPT_CELLS.limit;
    KEPT_CELLS.limit = 300;
    try {
      fc.assert(
        fc.property(
          fc.array(itemArb, { minLength: 300, maxLength: 1500 }),
          fc.array(fc.tuple(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 20_000, max: 60_000 }), fc.integer({ min: -1, max: 1 })), { minLength: 5, maxLength: 25 }),
          (items, bands) => {
            const built = build(items);
            const whole = { xmin: -256, xmax: 256, ymin: -256, ymax: 256 };
            const first = new Map<string, MapAnswer>();
            // Every band twice: the second time some of its parts were dropped and are built again.
            for (const [minPriceMinor, maxPriceMinor, zoom] of [...bands, ...bands]) {
              const filters = { minPriceMinor, maxPriceMinor };
              const answer = queryMap(built.map, { viewport: whole, zoom, filters, limit: 10_000 });
              expect(keptCells(built.map)).toBeLessThanOrEqual(300);
              expectCellsExact(answer, built, filters);
              const key = `${minPriceMinor}-${maxPriceMinor}@${zoom}`;
              if (first.has(key)) expect(answer).toEqual(first.get(key));
              else first.set(key, answer);
            }
          },
        ),
        { numRuns: 30 },
      );
    } finally {
      KEPT_CELLS.limit = saved;
    }
  });

  it("lists at most `limit` single items and counts the rest as omitted", () => {
    const items = Array.from({ length: 50 }, (_, n) => ({ x: 1 + n / 1000, y: 1 + n / 1000, category: 0, brand: 0, color: 0, department: 0, price: 1000 }));
    const { map } = build(items);
    const answer = queryMap(map, { viewport: { xmin: 0.95, xmax: 1.1, ymin: 0.95, ymax: 1.1 }, zoom: 14, filters: {}, limit: 10 });
    expect(answer.singles).toHaveLength(10);
    expect(answer.omitted).toBe(40);
    expect(answer.total).toBe(50);
    // Spread along the line of items, not its first ten.
    const xs = answer.singles.map((i) => map.x[i]!).sort((a, b) => a - b);
    expect(xs[0]!).toBeLessThan(1.01);
    expect(xs[xs.length - 1]!).toBeGreaterThan(1.04);
  });

  it("a removed item leaves its cluster and an unknown brand matches nothing", () => {
    const items = Array.from({ length: 10 }, (_, n) => ({ x: 1 + n / 100, y: 1, category: 0, brand: 0, color: 0, department: 0, price: 1000 }));
    const { map, catalog } = build(items);
    const whole = { xmin: -200, xmax: 200, ymin: -200, ymax: 200 };
    expect(queryMap(map, { viewport: whole, zoom: 0, filters: {}, limit: 10 }).clusters[0]!.count).toBe(10);
    catalog.remove("prd_3");
    map.catchUp();
    expect(queryMap(map, { viewport: whole, zoom: 0, filters: {}, limit: 10 }).clusters[0]!.count).toBe(9);
    expect(queryMap(map, { viewport: whole, zoom: 0, filters: { brands: ["nobody"] }, limit: 10 }).total).toBe(0);
  });
});
