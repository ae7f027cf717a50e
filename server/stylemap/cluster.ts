import { normalizeSize } from "../checkout/basket";
import type { SearchFilters } from "../search/search";
import { CHUNK, PRICE_BLOCK_LEVEL, lowerBoundIn, priceBucket, upperBoundIn, type RecordList, type StyleMapIndex } from "./map-index";
import {
  LEVELS,
  MAX_CLUSTER_ZOOM,
  MIN_CLUSTER_SIZE,
  WORLD_MIN,
  cellSize,
  levelForZoom,
  morton,
  quantize,
  servedViewport,
  type Viewport,
} from "./space";

/**
 * Clustering a viewport: the quadtree cells of the zoom's level that the served viewport covers, each
 * found as a run of the Z-ordered index by descending the tree from the root (empty quadrants are
 * skipped after one binary search). A cell whose items under the filters number at least
 * MIN_CLUSTER_SIZE is a cluster; the rest are listed as items. Every item under the filters inside the
 * served viewport is therefore counted exactly once, and a cluster depends on (zoom, filters) only.
 */
/** The filters a map query takes: the search's own (server/search/search.ts). */
export type MapFilters = SearchFilters;

export interface Facet {
  value: string;
  count: number;
}

export interface Cluster {
  /** Stable for the zoom's level: the same cell is the same id whatever the pan or the filters. */
  id: string;
  count: number;
  x: number;
  y: number;
  bounds: Viewport;
  minPriceMinor: number;
  maxPriceMinor: number;
  /** Index position (in the StyleMapIndex) of the member nearest the centroid. */
  representative: number;
  topCategories: Facet[];
  topColors: Facet[];
  expansionZoom: number;
}

export interface MapQuery {
  viewport: Viewport;
  zoom: number;
  filters: MapFilters;
  /** At most this many single items; the rest are counted in `omitted`. */
  limit: number;
}

export interface MapAnswer {
  viewport: Viewport | null;
  level: number;
  total: number;
  clusters: Cluster[];
  /**
   * Index positions of the items shown on their own, in Z-order; past `limit`, every n-th of them, so
   * that those shown spread over the whole view rather than fill its first quadrant.
   */
  singles: number[];
  omitted: number;
}

const TOP = 3;

export function queryMap(map: StyleMapIndex, query: MapQuery): MapAnswer {
  const served = servedViewport(query.viewport, query.zoom);
  if (!served) return { viewport: null, level: levelForZoom(query.zoom), total: 0, clusters: [], singles: [], omitted: 0 };
  const { viewport, level } = served;
  const filter = compileFilter(map, query.filters);
  const size = cellSize(level);
  const cx0 = Math.round((viewport.xmin - WORLD_MIN) / size);
  const cx1 = Math.round((viewport.xmax - WORLD_MIN) / size) - 1;
  const cy0 = Math.round((viewport.ymin - WORLD_MIN) / size);
  const cy1 = Math.round((viewport.ymax - WORLD_MIN) / size) - 1;
  const everyItemAlone = level === LEVELS;
  const answer: MapAnswer = { viewport, level, total: 0, clusters: [], singles: [], omitted: 0 };

  const range = { cx0, cx1, cy0, cy1 };
  let cells: Map<number, Cell>;
  let parts: Part[] | null;
  if (filter.isOpen && level <= CACHED_LEVEL) {
    // No filter at a coarse zoom: the cells were aggregated once for this state of the index.
    cells = within(cachedCells(map, level, ALL), range, level);
  } else if (filter.onlyPrice && level <= CACHED_VALUE_LEVEL) {
    cells = priceBandCells(map, filter, level, range);
  } else if (filter.oneValueDimension && level <= CACHED_VALUE_LEVEL && (parts = valueParts(map, filter))) {
    // Built by push, as priceBandCells builds its sources: `map` makes a holey array, and mergeParts
    // optimised for one kind of array was thrown away (V8 "wrong map") whenever the other came.
    const sources: Array<Map<number, Cell>> = [];
    for (const part of parts) sources.push(within(cachedCells(map, level, part), range, level));
    cells = mergeParts(map, sources);
  } else {
    cells = collectCells(map, filter, level, range, everyItemAlone ? answer : null, null, "answer");
  }

  const categories = map.catalog.categories.values;
  const colors = map.catalog.colorNames.values;
  for (const [key, cell] of cells) {
    answer.total += cell.count;
    if (everyItemAlone) continue;
    if (cell.count < MIN_CLUSTER_SIZE) {
      answer.singles.push(cell.last);
      continue;
    }
    answer.clusters.push({
      id: `${level}:${Math.floor(key / 65536)}:${key % 65536}`,
      count: cell.count,
      x: cell.sx / cell.count,
      y: cell.sy / cell.count,
      bounds: { xmin: cell.minx, xmax: cell.maxx, ymin: cell.miny, ymax: cell.maxy },
      minPriceMinor: cell.minPrice,
      maxPriceMinor: cell.maxPrice,
      representative: representative(map, cell),
      topCategories: cell.topCategories ?? top(cell.categories, categoryScratch, categories),
      topColors: cell.topColors ?? top(cell.colors, colorScratch, colors),
      expansionZoom: expansionZoom(query.zoom, cell),
    });
  }
  answer.clusters.sort((p, q) => q.count - p.count || (p.id < q.id ? -1 : 1));
  spreadSingles(answer, query.limit);
  return answer;
}

/** Keeps `limit` of the single items, evenly spaced along the Z-order (so across the view); counts the rest. */
function spreadSingles(answer: MapAnswer, limit: number) {
  const n = answer.singles.length;
  if (n <= limit) return;
  const kept = new Array<number>(limit);
  for (let k = 0; k < limit; k++) kept[k] = answer.singles[Math.floor(((k + 0.5) * n) / limit)]!;
  answer.omitted += n - limit;
  answer.singles = kept;
}

/**
 * Coarse zooms keep their cells between queries, for the current state of the index: unfiltered up to
 * level 8 (zoom 5); and up to level 4 (zoom 1, the whole-map views) per category, subcategory,
 * department, large brand (BRAND_CACHE_SHARE) and aligned power-of-two range of price buckets, built on
 * first use, so a filter on one of those over the whole map merges cached cells (and a price band scans
 * only the two buckets it cuts). Any catalog change drops them all. Smaller brands are not kept: their
 * lists are short enough to scan, and a catalog can have thousands of them.
 *
 * At most KEPT_CELLS cells are kept: past that, the least recently used level and part is dropped (and
 * built again when asked for). Price ranges alone could otherwise fill memory, with 2,047 aligned ranges
 * of 1,024 buckets at five levels. A kept cell takes about 1 KB with its tallies and samples (53,685
 * cells of price ranges grew the heap 50.6 MB at 1,000,000 products), so the cache stays under about
 * 130 MB; the unfiltered levels, used by every unfiltered view, hold 15,286 cells there (87,381 at most:
 * 4^0 + … + 4^8) and, being the most used, stay.
 */
const CACHED_LEVEL = 8;
const CACHED_VALUE_LEVEL = 4;
/** A brand's cells are kept when it holds at least this share of the catalog (at most 1/share brands). */
const BRAND_CACHE_SHARE = 0.005;
export const KEPT_CELLS = { limit: 131_072 };
const cellCaches = new WeakMap<StyleMapIndex, { version: number; levels: Map<string, Map<number, Cell>>; cells: number }>();

interface Part {
  key: string;
  filters: MapFilters;
  lists: Int32Array[] | null;
}

const ALL: Part = { key: "all", filters: {}, lists: null };

function cachedCells(map: StyleMapIndex, level: number, part: Part): Map<number, Cell> {
  let cache = cellCaches.get(map);
  if (!cache || cache.version !== map.version) cellCaches.set(map, (cache = { version: map.version, levels: new Map(), cells: 0 }));
  const key = `${level}:${part.key}`;
  let cells = cache.levels.get(key);
  if (cells) {
    // Most recently used last: a Map iterates in insertion order, so the first key is the one to drop.
    cache.levels.delete(key);
    cache.levels.set(key, cells);
    return cells;
  }
  const last = 2 ** level - 1;
  cells = collectCells(map, compileFilter(map, part.filters), level, { cx0: 0, cx1: last, cy0: 0, cy1: last }, null, part.lists, "kept");
  for (const cell of cells.values()) cell.rep = representative(map, cell);
  cache.levels.set(key, cells);
  cache.cells += cells.size;
  for (const [oldest, dropped] of cache.levels) {
    if (cache.cells <= KEPT_CELLS.limit || oldest === key) break;
    cache.levels.delete(oldest);
    cache.cells -= dropped.size;
  }
  return cells;
}

/** How many cells the map's cache keeps now (at most KEPT_CELLS.limit, but for one level and part larger than that). */
export function keptCells(map: StyleMapIndex): number {
  const cache = cellCaches.get(map);
  return cache && cache.version === map.version ? cache.cells : 0;
}

/** The buckets [lo, hi], whole: one cached part. */
function bucketRangePart(map: StyleMapIndex, lo: number, hi: number): Part {
  const edges = map.priceEdges;
  return {
    key: `p${lo}-${hi}`,
    filters: { minPriceMinor: edges[lo]!, maxPriceMinor: hi + 1 < edges.length ? edges[hi + 1]! - 1 : undefined },
    lists: map.byPriceBucket.slice(lo, hi + 1),
  };
}

/** [lo, hi] as the aligned power-of-two ranges of a segment tree: at most 2·log2(buckets) of them. */
function dyadicRanges(lo: number, hi: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = lo;
  while (at <= hi) {
    let size = 1;
    while (at % (size * 2) === 0 && at + size * 2 - 1 <= hi) size *= 2;
    out.push([at, at + size - 1]);
    at += size;
  }
  return out;
}

/**
 * One cached part per category, subcategory (unless its category is asked for too), department or brand
 * asked for. Null (the query then scans) when a brand asked for is too small to keep, or when a value
 * asked for is only among the items added since the sort.
 */
function valueParts(map: StyleMapIndex, filter: CompiledFilter): Part[] | null {
  const c = map.catalog;
  const parts: Part[] = [];
  let scan = false;
  const add = (key: string, filters: MapFilters, list: Int32Array | undefined) => {
    if (!list?.length) scan ||= map.length > map.sorted;
    else parts.push({ key, filters, lists: [list] });
  };
  filter.categories?.forEach((ok, code) => ok && add(`c${code}`, { categories: [c.categories.values[code]!] }, map.byCategory[code]));
  filter.subcategories?.forEach((ok, code) => {
    const list = map.bySubcategory[code];
    if (ok && !(list?.length && filter.categories?.[map.category[list[0]!]!] === 1)) add(`s${code}`, { categories: [c.subcategories.values[code]!] }, list);
  });
  filter.departments?.forEach((ok, code) => ok && add(`d${code}`, { departments: [c.departments.values[code]!] }, map.byDepartment[code]));
  filter.brands?.forEach((ok, code) => {
    if (!ok) return;
    const list = map.byBrand[code];
    if (list && list.length < BRAND_CACHE_SHARE * map.sorted) scan = true;
    else add(`b${code}`, { brands: [c.brands.values[code]!] }, list);
  });
  return scan ? null : parts;
}

function within(cells: Map<number, Cell>, range: CellRange, level: number): Map<number, Cell> {
  const { cx0, cx1, cy0, cy1 } = range;
  // The whole world (the whole-map views): every cell, as cached (the caller never writes to it).
  if (cx0 <= 0 && cy0 <= 0 && cx1 >= 2 ** level - 1 && cy1 >= 2 ** level - 1) return cells;
  const out = new Map<number, Cell>();
  if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) <= cells.size) {
    for (let cx = cx0; cx <= cx1; cx++)
      for (let cy = cy0; cy <= cy1; cy++) {
        const cell = cells.get(cx * 65536 + cy);
        if (cell) out.set(cx * 65536 + cy, cell);
      }
    return out;
  }
  for (const [key, cell] of cells) {
    const cx = Math.floor(key / 65536);
    const cy = key % 65536;
    if (cx >= cx0 && cx <= cx1 && cy >= cy0 && cy <= cy1) out.set(key, cell);
  }
  return out;
}

/**
 * A price band at a coarse zoom. The buckets it covers whole are a contiguous range: merged from the
 * cached cells of its aligned power-of-two sub-ranges (at most 20 of the 1,024 buckets' segment tree).
 * The two buckets it cuts contribute only their items inside the band: each bucket's positions (in
 * Z-order) scanned cell by cell with the price test, about 1,400 items each at 1,000,000 products.
 */
function priceBandCells(map: StyleMapIndex, filter: CompiledFilter, level: number, range: CellRange): Map<number, Cell> {
  const edges = map.priceEdges;
  const from = priceBucket(edges, Math.max(-2147483648, filter.minPrice));
  const to = priceBucket(edges, Math.min(2147483647, filter.maxPrice));
  const whole = (b: number) => filter.minPrice <= edges[b]! && (b + 1 >= edges.length ? filter.maxPrice === Infinity : filter.maxPrice >= edges[b + 1]! - 1);
  const wholeFrom = whole(from) ? from : from + 1;
  const wholeTo = whole(to) ? to : to - 1;
  const sources: Array<Map<number, Cell>> = [];
  if (wholeFrom <= wholeTo) {
    for (const [lo, hi] of dyadicRanges(wholeFrom, wholeTo)) sources.push(within(cachedCells(map, level, bucketRangePart(map, lo, hi)), range, level));
  }
  // The (at most two) buckets the band cuts: each one's positions in Z-order, scanned with the price test.
  const cutBuckets = [...new Set([from, to])].filter((b) => b < wholeFrom || b > wholeTo);
  for (const b of cutBuckets) sources.push(collectPositions(map, filter, level, range, map.byPriceBucket[b]!));
  if (cutBuckets.length > 0) {
    // Items added since the sort are in no bucket list: the cached parts counted those of their buckets.
    const tail = new Map<number, Cell>();
    collectTail(map, filter, level, range, tail, null, false, (i) => cutBuckets.includes(priceBucket(edges, map.price[i]!)));
    sources.push(tail);
  }
  return mergeParts(map, sources);
}

/** Cells of `level` inside the range from positions of the sorted part given ascending (so in Z-order: each cell is a run). */
function collectPositions(map: StyleMapIndex, filter: CompiledFilter, level: number, range: CellRange, positions: Int32Array): Map<number, Cell> {
  const cells = new Map<number, Cell>();
  // A cell's Z-codes share their top 2·level bits (a division: level 0 would be a shift by 32).
  const span = 4 ** (LEVELS - level);
  const { codes } = map;
  let a = 0;
  while (a < positions.length) {
    const prefix = Math.floor(codes[positions[a]!]! / span);
    let b = a + 1;
    while (b < positions.length && Math.floor(codes[positions[b]!]! / span) === prefix) b++;
    const first = positions[a]!;
    const cx = quantize(map.x[first]!) >> (LEVELS - level);
    const cy = quantize(map.y[first]!) >> (LEVELS - level);
    if (cx >= range.cx0 && cx <= range.cx1 && cy >= range.cy0 && cy <= range.cy1) {
      const cell = emptyCell();
      scan(map, filter, cell, positions, a, b, null);
      if (cell.count > 0) cells.set(cx * 65536 + cy, finishCell(cell));
    }
    a = b;
  }
  return cells;
}

/**
 * The cells of several disjoint parts of the items, cell by cell. A cell only one part holds is that
 * part's (a cached one keeps its representative); one that several hold is added up into a new final
 * cell, its tallies and samples gathered in the scan's scratch and its facets taken from there, so the
 * merge makes no arrays (over the whole map a price band merges up to 20 cached parts of 64 cells).
 */
function mergeParts(map: StyleMapIndex, sources: ReadonlyArray<Map<number, Cell>>): Map<number, Cell> {
  const nonEmpty = sources.filter((cells) => cells.size > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? new Map();
  const merged = new Map<number, Cell>();
  for (let first = 0; first < nonEmpty.length; first++) {
    for (const [key, cell] of nonEmpty[first]!) {
      if (merged.has(key)) continue;
      let holders = 1;
      for (let k = first + 1; k < nonEmpty.length; k++) if (nonEmpty[k]!.has(key)) holders++;
      if (holders === 1) {
        merged.set(key, cell);
        continue;
      }
      const into = emptyCell(SAMPLE_SCRATCH);
      for (let k = first; k < nonEmpty.length; k++) {
        const part = nonEmpty[k]!.get(key);
        if (!part) continue;
        into.count += part.count;
        into.last = part.last;
        into.sx += part.sx;
        into.sy += part.sy;
        if (part.minx < into.minx) into.minx = part.minx;
        if (part.maxx > into.maxx) into.maxx = part.maxx;
        if (part.miny < into.miny) into.miny = part.miny;
        if (part.maxy > into.maxy) into.maxy = part.maxy;
        if (part.minPrice < into.minPrice) into.minPrice = part.minPrice;
        if (part.maxPrice > into.maxPrice) into.maxPrice = part.maxPrice;
        loadTally(categoryScratch, part.categories);
        loadTally(colorScratch, part.colors);
        for (let t = 0; t < part.samples.length && t < SAMPLE && sampledScratch < SAMPLE * 2; t++) SAMPLE_SCRATCH[sampledScratch++] = part.samples[t]!;
      }
      merged.set(key, finishFinalCell(map, into));
    }
  }
  return merged;
}

interface CellRange {
  cx0: number;
  cx1: number;
  cy0: number;
  cy1: number;
}

/** Every non-empty cell of `level` inside the range, aggregated under the filter. */
function collectCells(
  map: StyleMapIndex,
  filter: CompiledFilter,
  level: number,
  range: CellRange,
  singles: MapAnswer | null,
  only?: Int32Array[] | null,
  use: CellUse = "part",
): Map<number, Cell> {
  const { cx0, cx1, cy0, cy1 } = range;
  const kept = use === "kept";
  // Items added since the sort are added to the cells afterwards: then the cells keep their tallies.
  const straight = use === "answer" && map.length === map.sorted;
  const cells = new Map<number, Cell>();
  const candidates: Candidates | null = only ? { lists: only, rest: "all" } : filter.isOpen ? null : candidateLists(map, filter);
  const lists = candidates?.lists ?? null;
  const listFilter = candidates?.rest === "none" ? null : filter;
  const listPriceOnly = candidates?.rest === "price";
  // Per run, the lists pay two binary searches each and a random read per member; the run itself is a
  // sequential read of every item. Many lists over short runs (a price band's buckets at a mid zoom)
  // cost more than the run: then the run is scanned with the filter, which gives the same members.
  const share = lists === null ? 1 : lists.reduce((n, list) => n + list.length, 0) / Math.max(1, map.sorted);
  const perRun = lists === null ? 0 : lists.length * 2 * Math.log2(Math.max(2, map.sorted));
  // A price band read through the price-sorted blocks, where no other list is more selective; a cell of
  // their level or coarser is whole blocks.
  const { blockStarts, blockByPrice, blockPrices, byCategoryRecords: categoryRecords } = map;
  const byBlocks = !only && level <= PRICE_BLOCK_LEVEL && filter.hasPrice && (candidates === null || candidates.byPrice === true);
  // Where each list's previous run ended: runs come in ascending order (descend visits quadrants in
  // Z-order), so the next run's slice starts there or later and is found by galloping from it.
  const cursors = lists === null ? null : new Int32Array(lists.length);
  // Which lists are a category's, where the category is all the filter asks: read from their records in
  // list order, by chunks (decided once: a typed array's .buffer is a call into the runtime).
  const chunked = new Uint8Array(lists?.length ?? 0);
  lists?.forEach((list, j) => (chunked[j] = listFilter === null && singles === null && list.buffer === categoryRecords.entries.buffer ? 1 : 0));
  const scanRun = (a: number, b: number, cx: number, cy: number) => {
    const cell = straight ? emptyCell(SAMPLE_SCRATCH) : kept ? keptCell() : emptyCell();
    if (byBlocks) {
      for (let k = upperBoundIn(blockStarts, a) - 1; k + 1 < blockStarts.length && blockStarts[k]! < b; k++) {
        const from = lowerBoundIn(blockPrices, filter.minPrice, blockStarts[k]!, blockStarts[k + 1]!);
        const to = upperBoundIn(blockPrices, filter.maxPrice, from, blockStarts[k + 1]!);
        // The slice is inside the band: only the filter's other tests remain.
        if (from >= to) continue;
        if (filter.onlyPrice && singles === null) scanByChunks(map, map.byPrice, cell, blockByPrice, from, to);
        else scan(map, filter.onlyPrice ? null : filter, cell, blockByPrice, from, to, singles, false, map.byPrice);
      }
    } else if (lists === null || perRun + 3 * share * (b - a) >= b - a) scan(map, filter.isOpen ? null : filter, cell, null, a, b, singles);
    else {
      for (let j = 0; j < lists.length; j++) {
        const list = lists[j]!;
        const from = gallop(list, a, cursors![j]!);
        const to = gallop(list, b, from);
        cursors![j] = to;
        if (chunked[j] === 1) scanByChunks(map, categoryRecords, cell, list, from, to);
        else scan(map, listFilter, cell, list, from, to, singles, listPriceOnly);
      }
    }
    if (straight) finishFinalCell(map, cell);
    else finishCell(cell, kept);
    if (cell.count > 0) cells.set(cx * 65536 + cy, cell);
  };

  // Descend from the root, visiting only quadrants that intersect the target cells and hold items.
  const descend = (l: number, cx: number, cy: number, a: number, b: number) => {
    if (a >= b) return;
    const shift = level - l;
    if (cx < cx0 >> shift || cx > cx1 >> shift || cy < cy0 >> shift || cy > cy1 >> shift) return;
    if (l === level) {
      scanRun(a, b, cx, cy);
      return;
    }
    const s = LEVELS - l - 1;
    const quarter = 4 ** s;
    const lo = morton(cx << (s + 1), cy << (s + 1));
    const b1 = map.lowerBound(lo + quarter, a, b);
    const b2 = map.lowerBound(lo + 2 * quarter, b1, b);
    const b3 = map.lowerBound(lo + 3 * quarter, b2, b);
    descend(l + 1, cx * 2, cy * 2, a, b1);
    descend(l + 1, cx * 2 + 1, cy * 2, b1, b2);
    descend(l + 1, cx * 2, cy * 2 + 1, b2, b3);
    descend(l + 1, cx * 2 + 1, cy * 2 + 1, b3, b);
  };
  descend(0, 0, 0, 0, map.sorted);

  collectTail(map, filter, level, range, cells, singles, kept);
  return cells;
}

/**
 * lowerBoundIn(list, value) when every entry before `from` is below `value`: doubling steps from `from`,
 * then a binary search in the last step. A run's slice is near the previous one's end, so this reads a
 * few entries instead of a whole list's binary search (17 cache misses in a category's 150,000 entries).
 */
function gallop(list: Int32Array, value: number, from: number): number {
  let lo = from;
  let hi = from;
  let step = 1;
  while (hi < list.length && list[hi]! < value) {
    lo = hi + 1;
    hi = lo + step;
    step *= 2;
  }
  return lowerBoundIn(list, value, lo, Math.min(hi, list.length));
}

/** Items added since the index was sorted (few), under the filter and `also`, one by one into `cells`. */
function collectTail(
  map: StyleMapIndex,
  filter: CompiledFilter,
  level: number,
  range: CellRange,
  cells: Map<number, Cell>,
  singles: MapAnswer | null,
  kept = false,
  also: (i: number) => boolean = () => true,
) {
  const shift = LEVELS - level;
  for (let i = map.sorted; i < map.length; i++) {
    if (!map.alive[i] || !filter.passes(i) || !also(i)) continue;
    const cx = quantize(map.x[i]!) >> shift;
    const cy = quantize(map.y[i]!) >> shift;
    if (cx < range.cx0 || cx > range.cx1 || cy < range.cy0 || cy > range.cy1) continue;
    const key = cx * 65536 + cy;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = kept ? keptCell() : emptyCell()));
    addTo(map, cell, i, kept);
    singles?.singles.push(i);
  }
}

/**
 * The most selective secondary index the filter allows (category, brand, department or price
 * buckets): the lists whose union holds every item that can pass. Null: scan the runs themselves.
 */
function candidateLists(map: StyleMapIndex, filter: CompiledFilter): Candidates | null {
  const options: Candidates[] = [];
  // What a list's members still need tested, when its values are `covered` of the filter's dimensions.
  const rest = (covered: number): Candidates["rest"] => (filter.dimensions === covered ? "none" : filter.dimensions === covered + 1 && filter.hasPrice ? "price" : "all");
  const pick = (allowed: Uint8Array | null, lists: Int32Array[]) => {
    if (allowed) options.push({ lists: lists.filter((_, code) => allowed[code] === 1), rest: rest(1) });
  };
  if (filter.categories || filter.subcategories) {
    // A subcategory whose category is also asked for is already in that category's list.
    const lists: Int32Array[] = [];
    filter.categories?.forEach((ok, code) => ok && map.byCategory[code] && lists.push(map.byCategory[code]!));
    filter.subcategories?.forEach((ok, code) => {
      const list = map.bySubcategory[code];
      if (!ok || !list || list.length === 0) return;
      if (filter.categories?.[map.category[list[0]!]!] === 1) return;
      lists.push(list);
    });
    options.push({ lists, rest: rest(1) });
  }
  pick(filter.brands, map.byBrand);
  if (filter.brands && filter.categories && !filter.subcategories?.includes(1)) {
    // Both a brand and a category: the lists of each pair asked for.
    const stride = map.brandCategoryStride;
    const lists: Int32Array[] = [];
    filter.brands.forEach((okBrand, brand) => {
      if (!okBrand) return;
      filter.categories!.forEach((okCategory, category) => {
        // A brand or category newer than the sort has no list: its items are in the tail, scanned apart.
        const list = category < stride ? map.byBrandCategory[brand * stride + category] : undefined;
        if (okCategory && list) lists.push(list);
      });
    });
    options.push({ lists, rest: rest(2) });
  }
  pick(filter.departments, map.byDepartment);
  if (filter.hasPrice) {
    const from = priceBucket(map.priceEdges, Math.max(-2147483648, filter.minPrice));
    const to = priceBucket(map.priceEdges, Math.min(2147483647, filter.maxPrice));
    options.push({ lists: map.byPriceBucket.slice(from, to + 1), rest: "all", byPrice: true });
  }
  let best: Candidates | null = null;
  let bestSize = map.sorted * 0.6;
  for (const option of options) {
    const size = option.lists.reduce((sum, l) => sum + l.length, 0);
    if (size < bestSize) {
      best = option;
      bestSize = size;
    }
  }
  return best;
}

interface Candidates {
  lists: Int32Array[];
  /**
   * What the lists' members still need tested: nothing (the lists are the filter: a category, a brand),
   * only the price band (tested inline, from the packed records), or the whole filter.
   */
  rest: "none" | "price" | "all";
  /** The price buckets of a band. */
  byPrice?: boolean;
}

// ---- filters -------------------------------------------------------------------------------------

/** Names to codes once per query; the per-item test is then array reads and bit tests. */
export function compileFilter(map: StyleMapIndex, filters: MapFilters): CompiledFilter {
  return new CompiledFilter(map, filters);
}

/**
 * A class, not an object literal with a closure: every query's `passes` is then the same function, so
 * the scan loop that calls it stays optimised. A closure per query was a new call target each time, and
 * V8 threw away the scan's optimised code until it gave up optimising it (then a mid-zoom price band
 * went 0.3 → 0.75 ms p50, with a collection every 14 queries from the boxed numbers).
 */
export class CompiledFilter {
  readonly isOpen: boolean;
  /** Allowed codes (1) per dictionary, null when that filter is absent. */
  readonly categories: Uint8Array | null;
  readonly subcategories: Uint8Array | null;
  readonly brands: Uint8Array | null;
  readonly departments: Uint8Array | null;
  readonly minPrice: number;
  readonly maxPrice: number;
  /** A price band is asked for (either end). */
  readonly hasPrice: boolean;
  /** How many of category, brand, department, colour, size and price the filter tests. */
  readonly dimensions: number;
  /** A price band and nothing else. */
  readonly onlyPrice: boolean;
  /** Categories (or subcategories), departments or brands, one of the three and nothing else. */
  readonly oneValueDimension: boolean;
  private readonly colorOk: Uint8Array | null;
  private readonly colorBits: number;
  private readonly colorSlow: boolean;
  private readonly wantsSize: boolean;
  private readonly sizeLo: number;
  private readonly sizeHi: number;
  private readonly sizeSlow: Set<string> | null;

  constructor(private readonly map: StyleMapIndex, filters: MapFilters) {
    const c = map.catalog;
    const codeSet = (values: readonly string[], wanted: readonly string[] | undefined): Uint8Array | null => {
      if (!wanted?.length) return null;
      const want = new Set(wanted.map((w) => w.trim().toLowerCase()));
      const ok = new Uint8Array(Math.max(1, values.length));
      values.forEach((v, code) => (ok[code] = want.has(v.toLowerCase()) ? 1 : 0));
      return ok;
    };
    const cat = codeSet(c.categories.values, filters.categories);
    const brand = codeSet(c.brands.values, filters.brands);
    const dept = codeSet(c.departments.values, filters.departments);
    const colorOk = codeSet(c.colorNames.values, filters.colors);
    let colorBits = 0;
    let colorSlow = false;
    colorOk?.forEach((ok, code) => {
      if (!ok) return;
      if (code < 32) colorBits |= 1 << code;
      else colorSlow = true;
    });
    let sizeLo = 0;
    let sizeHi = 0;
    let sizeSlow: Set<string> | null = null;
    for (const size of filters.sizes ?? []) {
      const name = normalizeSize(size);
      const code = c.sizeCodes.find(name);
      if (code === undefined) continue;
      if (code < 32) sizeLo |= 1 << code;
      else if (code < 64) sizeHi |= 1 << (code - 32);
      else (sizeSlow ??= new Set()).add(name);
    }
    const wantsSize = (filters.sizes?.length ?? 0) > 0;
    const hasPrice = filters.minPriceMinor !== undefined || filters.maxPriceMinor !== undefined;
    const wantsColor = colorOk !== null;
    this.categories = cat;
    this.subcategories = codeSet(c.subcategories.values, filters.categories);
    this.brands = brand;
    this.departments = dept;
    this.minPrice = filters.minPriceMinor ?? -Infinity;
    this.maxPrice = filters.maxPriceMinor ?? Infinity;
    this.hasPrice = hasPrice;
    this.colorOk = colorOk;
    this.colorBits = colorBits;
    this.colorSlow = colorSlow;
    this.wantsSize = wantsSize;
    this.sizeLo = sizeLo;
    this.sizeHi = sizeHi;
    this.sizeSlow = sizeSlow;
    this.isOpen = !cat && !brand && !dept && !wantsColor && !wantsSize && !hasPrice;
    this.dimensions = [cat !== null, brand !== null, dept !== null, wantsColor, wantsSize, hasPrice].filter(Boolean).length;
    this.onlyPrice = hasPrice && !cat && !brand && !dept && !wantsColor && !wantsSize;
    this.oneValueDimension = Number(cat !== null) + Number(dept !== null) + Number(brand !== null) === 1 && !hasPrice && !wantsColor && !wantsSize;
  }

  passes(i: number): boolean {
    if (this.isOpen) return true;
    const map = this.map;
    if (this.hasPrice && (map.price[i]! < this.minPrice || map.price[i]! > this.maxPrice)) return false;
    const cat = this.categories;
    const sub = this.subcategories;
    if (cat && sub && !cat[map.category[i]!] && !sub[map.subcategory[i]!]) return false;
    if (this.brands && !this.brands[map.brand[i]!]) return false;
    if (this.departments && !this.departments[map.department[i]!]) return false;
    const colorOk = this.colorOk;
    if (colorOk && (map.colorBits[i]! & this.colorBits) === 0) {
      if (!this.colorSlow || !(map.catalog.colors[map.ordinal[i]!] ?? []).some((code) => colorOk[code] === 1)) return false;
    }
    if (this.wantsSize && (map.sizeLo[i]! & this.sizeLo) === 0 && (map.sizeHi[i]! & this.sizeHi) === 0) {
      const slow = this.sizeSlow;
      if (!slow || !(map.catalog.sizes[map.ordinal[i]!] ?? []).some((s) => slow.has(s))) return false;
    }
    return true;
  }
}

// ---- cells ---------------------------------------------------------------------------------------

interface Cell {
  count: number;
  last: number;
  sx: number;
  sy: number;
  minx: number;
  maxx: number;
  miny: number;
  maxy: number;
  minPrice: number;
  maxPrice: number;
  /** Members per category code and per first-colour code, as [code, count] pairs. */
  categories: Tally;
  colors: Tally;
  /** An even sample of the members (every `stride`-th), to pick the representative from. */
  samples: number[];
  rep?: number;
  /** A final cell's top facets, taken straight from the scan's tallies (then it keeps none). */
  topCategories: Facet[] | null;
  topColors: Facet[] | null;
}

/**
 * A tally as [code, count, code, count, …]: one small array of small integers per cell instead of a
 * Map, since a query makes hundreds of cells and their garbage is what sets its p95 (a scavenge of
 * this heap takes about 4 ms). Not a typed array: small ones cost more to make than they save, and
 * their backing stores count as external memory, which schedules collections too.
 */
type Tally = readonly number[];
const EMPTY_TALLY: Tally = [];

/** Up to 2·SAMPLE members sampled evenly per cell, to pick its representative from. */
const SAMPLE = 8;

function emptyCell(samples: number[] = []): Cell {
  return {
    count: 0,
    last: -1,
    sx: 0,
    sy: 0,
    minx: Infinity,
    maxx: -Infinity,
    miny: Infinity,
    maxy: -Infinity,
    minPrice: Infinity,
    maxPrice: -Infinity,
    categories: EMPTY_TALLY,
    colors: EMPTY_TALLY,
    samples,
    topCategories: null,
    topColors: null,
  };
}

/**
 * A cell kept across queries (cachedCells), with its tally arrays (keptTally) and samples: the same
 * fields as emptyCell's, from literals of their own. V8 decides per allocation site whether what it
 * makes lives long ("pretenuring"), and once it has seen a site's objects survive it allocates all of
 * them in the old generation for good. Built by emptyCell, the kept cells taught V8 that every cell
 * lives long: each query's cells then filled the old generation (10 MB per scavenge in bench:map),
 * whose incremental marking cut 4 ms steps into one query in ten (a brand at mid zoom: p95 4.3 ms).
 */
function keptCell(): Cell {
  return {
    count: 0,
    last: -1,
    sx: 0,
    sy: 0,
    minx: Infinity,
    maxx: -Infinity,
    miny: Infinity,
    maxy: -Infinity,
    minPrice: Infinity,
    maxPrice: -Infinity,
    categories: EMPTY_TALLY,
    colors: EMPTY_TALLY,
    samples: [],
    topCategories: null,
    topColors: null,
  };
}

function keptTally(length: number): number[] {
  return new Array<number>(length);
}

/** How long a scan's cells live: straight into this query's answer, merged in it, or kept across queries. */
type CellUse = "answer" | "part" | "kept";

// Per-category and per-colour tallies of the cell being scanned (codes are small integers), with the
// codes touched so far so that emptying them costs as much as filling.
interface Scratch {
  counts: Int32Array;
  /** The codes touched, in touched[0, n): a typed array never shrunk, so a cell costs no allocation. */
  touched: Int32Array;
  n: number;
}
const categoryScratch: Scratch = { counts: new Int32Array(256), touched: new Int32Array(256), n: 0 };
const colorScratch: Scratch = { counts: new Int32Array(1024), touched: new Int32Array(1024), n: 0 };

function tallyOne(scratch: Scratch, code: number, n: number) {
  if (code >= scratch.counts.length) widen(scratch, code);
  if (scratch.counts[code] === 0) scratch.touched[scratch.n++] = code;
  scratch.counts[code]! += n;
}

/** Adds a kept tally's counts into the scratch. */
function loadTally(scratch: Scratch, tally: Tally) {
  for (let k = 0; k < tally.length; k += 2) tallyOne(scratch, tally[k]!, tally[k + 1]!);
}

function widen(scratch: Scratch, code: number) {
  scratch.counts = grow(scratch.counts, code);
  scratch.touched = grow(scratch.touched, code);
}

/** The scratch's counts as a tally, emptying the scratch. */
function drain(scratch: Scratch, kept: boolean): Tally {
  const out = kept ? keptTally(scratch.n * 2) : new Array<number>(scratch.n * 2);
  for (let k = 0; k < scratch.n; k++) {
    const code = scratch.touched[k]!;
    out[2 * k] = code;
    out[2 * k + 1] = scratch.counts[code]!;
    scratch.counts[code] = 0;
  }
  scratch.n = 0;
  return out;
}

/**
 * The hot loop of every query: the members of [from, to) (positions, or entries of `list`) that pass
 * `filter` (all of them when it is null), added into `cell`, with the cell's figures in locals and the
 * tallies written straight into the scratch counts. When the price band is all there is to test (the
 * filter is a band alone, or the list is the rest of it: a brand's items of one category) it is tested
 * inline on the packed record: the general test is a call per member reading four more columns, and a
 * band's view at a mid zoom tests every item of its runs.
 */
function scan(
  map: StyleMapIndex,
  filter: CompiledFilter | null,
  cell: Cell,
  list: Int32Array | null,
  from: number,
  to: number,
  singles: MapAnswer | null,
  priceOnly = filter?.onlyPrice ?? false,
  records: RecordList | null = null,
) {
  const stride = Math.max(1, Math.floor((to - from) / SAMPLE));
  // The records, by index position, or by entry of `list`, a slice of records.entries copied in order.
  const packed = records !== null ? records.packed : map.packed;
  const packedFloat = records !== null ? records.packedFloat : map.packedFloat;
  const offset = records !== null && list !== null ? 4 * records.offsetOf(list) : 0;
  const colorCodes = map.catalog.colorNames.values.length;
  if (colorScratch.counts.length < colorCodes) widen(colorScratch, colorCodes);
  const categoryCounts = categoryScratch.counts;
  const categoryTouched = categoryScratch.touched;
  const colorCounts = colorScratch.counts;
  const colorTouched = colorScratch.touched;
  let categoryN = categoryScratch.n;
  let colorN = colorScratch.n;
  const test = filter !== null && !priceOnly ? filter : null;
  const lo = filter !== null && priceOnly ? filter.minPrice : -Infinity;
  const hi = filter !== null && priceOnly ? filter.maxPrice : Infinity;
  // A final cell samples into SAMPLE_SCRATCH (see finishFinalCell), any other into its own array.
  const samples = cell.samples;
  const shared = samples === SAMPLE_SCRATCH;
  let sampled = shared ? sampledScratch : samples.length;
  let { count, last, sx, sy, minx, maxx, miny, maxy, minPrice, maxPrice } = cell;
  // Every stride-th member counted into the cell (the first whose count is a multiple of stride).
  let nextSample = Math.ceil(count / stride) * stride;
  for (let k = from; k < to; k++) {
    const i = list === null ? k : list[k]!;
    const r = records !== null ? offset + 4 * k : 4 * i;
    const codes = packed[r + 3]!;
    if ((codes & 0xff) === 0) continue;
    const p = packed[r + 2]!;
    if (p < lo || p > hi || (test !== null && !test.passes(i))) continue;
    const px = packedFloat[r]!;
    const py = packedFloat[r + 1]!;
    if (count === nextSample && sampled < SAMPLE * 2) {
      if (shared) SAMPLE_SCRATCH[sampled] = i;
      else samples.push(i);
      sampled++;
      nextSample += stride;
    }
    count++;
    last = i;
    sx += px;
    sy += py;
    if (px < minx) minx = px;
    if (px > maxx) maxx = px;
    if (py < miny) miny = py;
    if (py > maxy) maxy = py;
    if (p < minPrice) minPrice = p;
    if (p > maxPrice) maxPrice = p;
    const c = (codes >>> 8) & 0xff;
    if (categoryCounts[c] === 0) categoryTouched[categoryN++] = c;
    categoryCounts[c]!++;
    const h = codes >>> 16;
    if (colorCounts[h] === 0) colorTouched[colorN++] = h;
    colorCounts[h]!++;
    singles?.singles.push(i);
  }
  categoryScratch.n = categoryN;
  colorScratch.n = colorN;
  if (shared) sampledScratch = sampled;
  cell.count = count;
  cell.last = last;
  cell.sx = sx;
  cell.sy = sy;
  cell.minx = minx;
  cell.maxx = maxx;
  cell.miny = miny;
  cell.maxy = maxy;
  cell.minPrice = minPrice;
  cell.maxPrice = maxPrice;
}

/**
 * Every member of `list`'s entries [from, to) into `cell`, where `list` is a slice of records.entries and
 * the filter asks nothing more of them: the chunks the slice holds whole from their summaries (unless a
 * removal made them stale), its ends by scan.
 */
function scanByChunks(map: StyleMapIndex, records: RecordList, cell: Cell, list: Int32Array, from: number, to: number) {
  const offset = records.offsetOf(list);
  const colorCodes = map.catalog.colorNames.values.length;
  if (colorScratch.counts.length < colorCodes) widen(colorScratch, colorCodes);
  const first = Math.ceil((offset + from) / CHUNK);
  const end = Math.floor((offset + to) / CHUNK);
  if (first >= end) {
    scan(map, null, cell, list, from, to, null, false, records);
    return;
  }
  if (from < first * CHUNK - offset) scan(map, null, cell, list, from, first * CHUNK - offset, null, false, records);
  for (let c = first; c < end; c++) {
    if (records.stale[c]) scan(map, null, cell, list, c * CHUNK - offset, (c + 1) * CHUNK - offset, null, false, records);
    else addChunk(records, cell, c);
  }
  if (end * CHUNK - offset < to) scan(map, null, cell, list, end * CHUNK - offset, to, null, false, records);
}

/** A chunk's summary into `cell`; its first member is sampled (to pick the representative from). */
function addChunk(records: RecordList, cell: Cell, c: number) {
  const { sums, bounds, prices, category, color, categoryStart, colorStart } = records;
  const first = records.entries[c * CHUNK]!;
  if (cell.samples === SAMPLE_SCRATCH) {
    if (sampledScratch < SAMPLE * 2) SAMPLE_SCRATCH[sampledScratch++] = first;
  } else if (cell.samples.length < SAMPLE * 2) cell.samples.push(first);
  cell.count += records.count[c]!;
  cell.last = first;
  cell.sx += sums[2 * c]!;
  cell.sy += sums[2 * c + 1]!;
  if (bounds[4 * c]! < cell.minx) cell.minx = bounds[4 * c]!;
  if (bounds[4 * c + 1]! > cell.maxx) cell.maxx = bounds[4 * c + 1]!;
  if (bounds[4 * c + 2]! < cell.miny) cell.miny = bounds[4 * c + 2]!;
  if (bounds[4 * c + 3]! > cell.maxy) cell.maxy = bounds[4 * c + 3]!;
  if (prices[2 * c]! < cell.minPrice) cell.minPrice = prices[2 * c]!;
  if (prices[2 * c + 1]! > cell.maxPrice) cell.maxPrice = prices[2 * c + 1]!;
  addPairs(categoryScratch, category, categoryStart[c]!, categoryStart[c + 1]!);
  addPairs(colorScratch, color, colorStart[c]!, colorStart[c + 1]!);
}

/**
 * Summary entries [from, to) of (code << 8) | count into the scratch, with its fields in locals: through
 * tallyOne, reading them per code, these loops were a quarter of a mid-zoom price band's time. The
 * scratch is wide enough: category codes are 8-bit, and scanByChunks widens the colours' to the
 * dictionary.
 */
function addPairs(scratch: Scratch, pairs: Int32Array, from: number, to: number) {
  const counts = scratch.counts;
  const touched = scratch.touched;
  let n = scratch.n;
  for (let t = from; t < to; t++) {
    const code = pairs[t]! >>> 8;
    if (counts[code] === 0) touched[n++] = code;
    counts[code]! += pairs[t]! & 0xff;
  }
  scratch.n = n;
}

/** Moves the scan's tallies into the cell and clears them for the next one. */
function finishCell(cell: Cell, kept = false): Cell {
  cell.categories = drain(categoryScratch, kept);
  cell.colors = drain(colorScratch, kept);
  return cell;
}

/**
 * Finishes a cell that goes straight into the answer (never merged, cached or added to): its facets and
 * representative are taken from the scan's tallies and its samples (SAMPLE_SCRATCH), which are then
 * cleared, so the cell keeps no arrays of its own. With the scratch tallies' touched codes in typed
 * arrays that are never shrunk, a price band's mid-zoom view (1,000,000 products) went from about 200
 * to 114 KB of garbage per query, and its p95 in bench:map from 9.4 to 0.74 ms: fewer scavenges of this
 * heap (5-7 ms each) land inside a query.
 */
function finishFinalCell(map: StyleMapIndex, cell: Cell): Cell {
  if (cell.count >= MIN_CLUSTER_SIZE) {
    cell.rep = representative(map, cell);
    cell.topCategories = topOf(categoryScratch, map.catalog.categories.values);
    cell.topColors = topOf(colorScratch, map.catalog.colorNames.values);
  }
  clear(categoryScratch);
  clear(colorScratch);
  cell.samples = NO_SAMPLES;
  sampledScratch = 0;
  return cell;
}

/** The samples of the final cell being scanned (one at a time): SAMPLE_SCRATCH[0, sampledScratch). */
const SAMPLE_SCRATCH: number[] = new Array<number>(SAMPLE * 2).fill(0);
let sampledScratch = 0;
const NO_SAMPLES: number[] = [];

function clear(scratch: Scratch) {
  for (let k = 0; k < scratch.n; k++) scratch.counts[scratch.touched[k]!] = 0;
  scratch.n = 0;
}

/**
 * The TOP most frequent codes of a scratch tally (ties: the lower code), in one pass over the touched
 * codes, each compared with the third best so far (three passes, one per place, were 14% of a mid-zoom
 * price band's time: a cell there touches dozens of colours).
 */
const topCodes = new Int32Array(TOP);
function topOf(scratch: Scratch, names: readonly string[]): Facet[] {
  const { counts, touched, n: touchedCount } = scratch;
  const found = Math.min(TOP, touchedCount);
  let held = 0;
  for (let k = 0; k < touchedCount; k++) {
    const code = touched[k]!;
    const n = counts[code]!;
    // Below the last held one (count desc, code asc) when all places are taken: not among the top.
    if (held === TOP) {
      const lastCode = topCodes[TOP - 1]!;
      const lastCount = counts[lastCode]!;
      if (n < lastCount || (n === lastCount && code > lastCode)) continue;
    }
    let at = held < TOP ? held++ : TOP - 1;
    while (at > 0) {
      const above = topCodes[at - 1]!;
      const aboveCount = counts[above]!;
      if (n < aboveCount || (n === aboveCount && code > above)) break;
      topCodes[at] = above;
      at--;
    }
    topCodes[at] = code;
  }
  const out = new Array<Facet>(found);
  for (let k = 0; k < found; k++) out[k] = { value: names[topCodes[k]!] ?? "other", count: counts[topCodes[k]!]! };
  return out;
}

function grow(a: Int32Array, needed: number): Int32Array {
  const next = new Int32Array(Math.max(needed + 1, a.length * 2));
  next.set(a);
  return next;
}

function addTo(map: StyleMapIndex, cell: Cell, i: number, kept: boolean) {
  scan(map, null, cell, null, i, i + 1, null);
  finishTallies(cell, kept);
}

/** For cells built item by item (the tail): merge the tallies at once. */
function finishTallies(cell: Cell, kept: boolean) {
  loadTally(categoryScratch, cell.categories);
  loadTally(colorScratch, cell.colors);
  finishCell(cell, kept);
}

/** The sampled member nearest the centroid. */
function representative(map: StyleMapIndex, cell: Cell): number {
  if (cell.rep !== undefined) return cell.rep;
  const cx = cell.sx / cell.count;
  const cy = cell.sy / cell.count;
  let best = cell.last;
  let bestDistance = Infinity;
  const n = cell.samples === SAMPLE_SCRATCH ? sampledScratch : cell.samples.length;
  for (let k = 0; k < n; k++) {
    const i = cell.samples[k]!;
    const d = (map.x[i]! - cx) ** 2 + (map.y[i]! - cy) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}

/** A kept cell's tally's TOP most frequent codes, read as a final cell's are (through the scratch, emptied after). */
function top(tally: Tally, scratch: Scratch, names: readonly string[]): Facet[] {
  loadTally(scratch, tally);
  const facets = topOf(scratch, names);
  clear(scratch);
  return facets;
}

/** The first zoom at which the members fall into more than one cell (then a click there splits it). */
function expansionZoom(zoom: number, cell: Cell): number {
  const qx0 = quantize(cell.minx);
  const qx1 = quantize(cell.maxx);
  const qy0 = quantize(cell.miny);
  const qy1 = quantize(cell.maxy);
  for (let z = Math.floor(zoom) + 1; z <= MAX_CLUSTER_ZOOM; z++) {
    const shift = LEVELS - levelForZoom(z);
    if (qx0 >> shift !== qx1 >> shift || qy0 >> shift !== qy1 >> shift) return z;
  }
  return MAX_CLUSTER_ZOOM + 1;
}
