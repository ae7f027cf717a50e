import type { Db } from "@/db/client";
import { catalogIndexFor, type CatalogIndex } from "../search/index";
import { morton, quantize } from "./space";

/**
 * The style map's index: the catalog's live items in Z-order (Morton order of their quantised
 * positions), with the columns clustering reads copied alongside in the same order. Every quadtree
 * cell at every level is then one contiguous run of this array, found by two binary searches, and a
 * cluster is a scan of its run: filters are checks inside that scan, so no filter ever needs anything
 * rebuilt (supercluster, by contrast, must re-index the points for each filter).
 *
 * It is derived from the search index (server/search/index.ts), which follows `catalog_changes`: when
 * that index changes, items added since this array was sorted are kept in a small unsorted tail that
 * every query scans, and removed ones are flagged dead; past TAIL_LIMIT the array is sorted again.
 * About 41 bytes per item for the columns, 16 for the packed scan records, 32 for the secondary
 * indexes, 28 for the price-sorted blocks below and 19 for the category lists' records (RecordList:
 * records copied in list order, chunk summaries): the array buffers of a process grew by about 110 MB
 * with it at 1,000,000 products.
 */
const TAIL_LIMIT = 5000;
/** The quadtree level of the price-sorted blocks (zoom 4's cells). */
export const PRICE_BLOCK_LEVEL = 7;
/** Entries per chunk summary of a RecordList. */
export const CHUNK = 32;

export class StyleMapIndex {
  /** Sorted part: [0, sorted); tail (added since the sort): [sorted, length). */
  sorted = 0;
  length = 0;
  version = -1;
  /** Catalog ordinals below this have been considered (ordinals only grow). */
  seen = 0;
  codes = new Uint32Array(0);
  ordinal = new Int32Array(0);
  alive = new Uint8Array(0);
  x = new Float32Array(0);
  y = new Float32Array(0);
  category = new Uint8Array(0);
  subcategory = new Uint16Array(0);
  brand = new Uint16Array(0);
  department = new Uint8Array(0);
  price = new Int32Array(0);
  /**
   * What a scan reads of each member, packed in one 16-byte record per item: x and y (float32), price,
   * and alive | category << 8 | first colour << 16 (the first colour feeds a cluster's top colours). A member then costs one cache line, not six: a scan
   * through a category's list reads every seventh item or so.
   */
  packed = new Int32Array(0);
  packedFloat = new Float32Array(0);
  /** Colours and sizes as bit sets over the first 32 codes of each (the filters' hot path). */
  colorBits = new Uint32Array(0);
  sizeLo = new Uint32Array(0);
  sizeHi = new Uint32Array(0);

  /**
   * Secondary indexes of the sorted part: for each category, subcategory, brand, department and price
   * bucket, the positions holding it, ascending. A cell's members with a value are then the slice of
   * that list between the cell's run bounds (two binary searches), so a selective filter scans only its
   * matches instead of the whole run. Built once per sort (counting sort, O(n)), never per filter.
   */
  byCategory: Int32Array[] = [];
  bySubcategory: Int32Array[] = [];
  byBrand: Int32Array[] = [];
  byDepartment: Int32Array[] = [];
  /**
   * Per brand and category (index brand · categories + category): a brand's items of one category, the
   * list a filter on both scans (at 1,000,000 products about 500 items, where the brand alone has 23,000).
   */
  byBrandCategory: Int32Array[] = [];
  /** The number of categories byBrandCategory was built with. */
  brandCategoryStride = 1;
  byPriceBucket: Int32Array[] = [];
  /**
   * The sorted part cut into the cells of PRICE_BLOCK_LEVEL (runs of Z-order: block k is
   * [blockStarts[k], blockStarts[k + 1])), each block's positions again by price (then position) in
   * blockByPrice, with their prices alongside in blockPrices. The members of a block inside a price band
   * are then one slice, found by two binary searches: a band at a mid zoom reads its members only,
   * instead of testing every item of the view (where half the tests were mispredicted branches).
   */
  blockStarts = new Int32Array(1);
  blockByPrice = new Int32Array(0);
  blockPrices = new Int32Array(0);
  /**
   * blockByPrice with its packed records copied in that order and summarised per chunk (RecordList):
   * a band's slice of a block is read sequentially, and adds up the chunks it holds whole.
   */
  byPrice = new RecordList(new Int32Array(0), new Int32Array(0));
  /** The category lists (byCategory, one array) likewise: a category's slice of a cell is read the same way. */
  byCategoryRecords = new RecordList(new Int32Array(0), new Int32Array(0));
  /** The lowest price of each price bucket (ascending); bucket k holds prices in [edges[k], edges[k+1]). */
  priceEdges: Int32Array = new Int32Array(0);

  constructor(readonly catalog: CatalogIndex) {
    this.rebuild();
  }

  /** Re-sorts every live item of the catalog index. */
  rebuild(): void {
    const c = this.catalog;
    let order: Int32Array;
    if (c.size <= 2 ** 21) {
      // code * 2^21 + ordinal is an exact double below 2^53: one numeric typed-array sort.
      const keys = new Float64Array(c.live);
      let n = 0;
      for (let o = 0; o < c.size; o++) if (c.alive[o]) keys[n++] = morton(quantize(c.x[o]!), quantize(c.y[o]!)) * 2 ** 21 + o;
      keys.subarray(0, n).sort();
      order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = keys[i]! % 2 ** 21;
    } else {
      // Past 2M ordinals: a comparator sort (slower, same order).
      const code = (o: number) => morton(quantize(c.x[o]!), quantize(c.y[o]!));
      const ords: number[] = [];
      for (let o = 0; o < c.size; o++) if (c.alive[o]) ords.push(o);
      order = Int32Array.from(ords.sort((a, b) => code(a) - code(b) || a - b));
    }
    this.allocate(order.length + TAIL_LIMIT);
    this.length = 0;
    for (let i = 0; i < order.length; i++) this.push(order[i]!);
    this.sorted = order.length;
    this.seen = c.size;
    this.version = c.version;
    this.byCategory = postings(this.category, this.sorted, c.categories.values.length);
    this.bySubcategory = postings(this.subcategory, this.sorted, c.subcategories.values.length);
    this.byBrand = postings(this.brand, this.sorted, c.brands.values.length);
    this.byDepartment = postings(this.department, this.sorted, c.departments.values.length);
    const categories = Math.max(1, c.categories.values.length);
    this.brandCategoryStride = categories;
    const pair = new Int32Array(this.sorted);
    for (let i = 0; i < this.sorted; i++) pair[i] = this.brand[i]! * categories + this.category[i]!;
    this.byBrandCategory = postings(pair, this.sorted, Math.max(1, c.brands.values.length) * categories);
    this.priceEdges = priceEdges(this.price, this.sorted);
    const bucket = new Uint16Array(this.sorted);
    for (let i = 0; i < this.sorted; i++) bucket[i] = priceBucket(this.priceEdges, this.price[i]!);
    this.byPriceBucket = postings(bucket, this.sorted, this.priceEdges.length);
    this.sortBlocksByPrice();
    this.byCategoryRecords = new RecordList(this.byCategory.length > 0 ? new Int32Array(this.byCategory[0]!.buffer) : new Int32Array(0), this.packed);
  }

  private sortBlocksByPrice(): void {
    const n = this.sorted;
    const shift = 32 - 2 * PRICE_BLOCK_LEVEL;
    const starts: number[] = [0];
    for (let i = 1; i < n; i++) if (this.codes[i]! >>> shift !== this.codes[i - 1]! >>> shift) starts.push(i);
    if (n > 0) starts.push(n);
    this.blockStarts = Int32Array.from(starts);
    this.blockByPrice = new Int32Array(n);
    this.blockPrices = new Int32Array(n);
    const keys = new Float64Array(n);
    for (let k = 0; k + 1 < starts.length; k++) {
      const a = starts[k]!;
      const b = starts[k + 1]!;
      let low = Infinity;
      for (let i = a; i < b; i++) low = Math.min(low, this.price[i]!);
      if (b - a >= 2 ** 21) {
        // Past 2M items in one block: a comparator sort (slower, same order).
        const order = Array.from({ length: b - a }, (_, j) => a + j).sort((p, q) => this.price[p]! - this.price[q]! || p - q);
        order.forEach((i, j) => ((this.blockByPrice[a + j] = i), (this.blockPrices[a + j] = this.price[i]!)));
        continue;
      }
      // (price − lowest) · 2^21 + offset is an exact double (prices span under 2^31, blocks under 2^21).
      const block = keys.subarray(a, b);
      for (let i = a; i < b; i++) block[i - a] = (this.price[i]! - low) * 2 ** 21 + (i - a);
      block.sort();
      for (let j = 0; j < b - a; j++) {
        const i = a + (block[j]! % 2 ** 21);
        this.blockByPrice[a + j] = i;
        this.blockPrices[a + j] = this.price[i]!;
      }
    }
    this.byPrice = new RecordList(this.blockByPrice, this.packed);
  }

  /** Brings the array up to date with the catalog index: dead flags, new items into the tail. */
  catchUp(): void {
    const c = this.catalog;
    if (this.version === c.version) return;
    let added = 0;
    for (let o = this.seen; o < c.size; o++) if (c.alive[o]) added++;
    if (this.length - this.sorted + added > TAIL_LIMIT) {
      this.rebuild();
      return;
    }
    for (let i = 0; i < this.length; i++) this.setAlive(i, c.alive[this.ordinal[i]!]!);
    for (let o = this.seen; o < c.size; o++) if (c.alive[o]) this.push(o);
    this.seen = c.size;
    this.version = c.version;
  }

  /** The first position in [lo, hi) of the sorted part whose code is at least `code`. */
  lowerBound(code: number, lo = 0, hi = this.sorted): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.codes[mid]! < code) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private setAlive(i: number, alive: number): void {
    if (this.alive[i] === alive) return;
    this.alive[i] = alive;
    this.packed[4 * i + 3] = (this.packed[4 * i + 3]! & ~0xff) | alive;
    if (i >= this.sorted) return;
    // Its copy in its block's price order: among the block's entries at its price (then by position).
    const block = upperBoundIn(this.blockStarts, i) - 1;
    let j = lowerBoundIn(this.blockPrices, this.price[i]!, this.blockStarts[block]!, this.blockStarts[block + 1]!);
    while (this.blockByPrice[j] !== i) j++;
    this.byPrice.setAlive(j, alive);
    // And in its category's list (ascending positions).
    const list = this.byCategory[this.category[i]!]!;
    this.byCategoryRecords.setAlive(this.byCategoryRecords.offsetOf(list) + lowerBoundIn(list, i), alive);
  }

  private push(o: number): void {
    const c = this.catalog;
    const i = this.length++;
    this.codes[i] = morton(quantize(c.x[o]!), quantize(c.y[o]!));
    this.ordinal[i] = o;
    this.alive[i] = 1;
    this.x[i] = c.x[o]!;
    this.y[i] = c.y[o]!;
    this.category[i] = c.category[o]!;
    this.subcategory[i] = c.subcategory[o]!;
    this.brand[i] = c.brand[o]!;
    this.department[i] = c.department[o]!;
    this.price[i] = c.price[o]!;
    const colors = c.colors[o] ?? [];
    let bits = 0;
    for (const code of colors) if (code < 32) bits |= 1 << code;
    this.colorBits[i] = bits >>> 0;
    this.sizeLo[i] = c.sizeLo[o]!;
    this.sizeHi[i] = c.sizeHi[o]!;
    this.packedFloat[4 * i] = this.x[i]!;
    this.packedFloat[4 * i + 1] = this.y[i]!;
    this.packed[4 * i + 2] = this.price[i]!;
    this.packed[4 * i + 3] = 1 | (this.category[i]! << 8) | (((colors[0] ?? 0) & 0xffff) << 16);
  }

  private allocate(capacity: number): void {
    this.codes = new Uint32Array(capacity);
    this.ordinal = new Int32Array(capacity);
    this.alive = new Uint8Array(capacity);
    this.x = new Float32Array(capacity);
    this.y = new Float32Array(capacity);
    this.category = new Uint8Array(capacity);
    this.subcategory = new Uint16Array(capacity);
    this.brand = new Uint16Array(capacity);
    this.department = new Uint8Array(capacity);
    this.price = new Int32Array(capacity);
    this.colorBits = new Uint32Array(capacity);
    this.sizeLo = new Uint32Array(capacity);
    this.sizeHi = new Uint32Array(capacity);
    this.packed = new Int32Array(capacity * 4);
    this.packedFloat = new Float32Array(this.packed.buffer);
  }
}

/**
 * A list of index positions (`entries`) with the packed records copied in its order, so a slice of it
 * is read sequentially rather than one random read (a cache miss at 1,000,000 products) per member,
 * and summarised per aligned chunk of CHUNK entries (chunk c is [c·CHUNK, (c + 1)·CHUNK)): members,
 * coordinate sums, bounds (xmin, xmax, ymin, ymax), price range, and category and first-colour tallies
 * as (code << 8) | count from categoryStart and colorStart. A slice that is all a filter asks for adds up the chunks it
 * holds whole and scans only its ends. A chunk a removal touched is stale (scanned member by member)
 * until the next sort. 16 bytes per entry for the records, about 3 bytes for the summaries.
 */
export class RecordList {
  readonly packed: Int32Array;
  readonly packedFloat: Float32Array;
  readonly count: Int32Array;
  readonly sums: Float64Array;
  readonly bounds: Float32Array;
  readonly prices: Int32Array;
  readonly stale: Uint8Array;
  readonly categoryStart: Int32Array;
  readonly colorStart: Int32Array;
  readonly category: Int32Array;
  readonly color: Int32Array;

  constructor(
    readonly entries: Int32Array,
    source: Int32Array,
  ) {
    const n = entries.length;
    this.packed = new Int32Array(4 * n);
    this.packedFloat = new Float32Array(this.packed.buffer);
    for (let j = 0; j < n; j++) {
      const from = 4 * entries[j]!;
      for (let w = 0; w < 4; w++) this.packed[4 * j + w] = source[from + w]!;
    }
    const chunks = Math.ceil(n / CHUNK);
    this.count = new Int32Array(chunks);
    this.sums = new Float64Array(2 * chunks);
    this.bounds = new Float32Array(4 * chunks);
    this.prices = new Int32Array(2 * chunks);
    this.stale = new Uint8Array(chunks);
    this.categoryStart = new Int32Array(chunks + 1);
    this.colorStart = new Int32Array(chunks + 1);
    const categories: number[] = [];
    const colors: number[] = [];
    const categoryCounts = new Int32Array(256);
    const colorCounts = new Int32Array(65536);
    for (let c = 0; c < chunks; c++) {
      let sx = 0;
      let sy = 0;
      let minx = Infinity;
      let maxx = -Infinity;
      let miny = Infinity;
      let maxy = -Infinity;
      let minPrice = 2147483647;
      let maxPrice = -2147483648;
      const touchedCategories: number[] = [];
      const touchedColors: number[] = [];
      const end = Math.min(n, (c + 1) * CHUNK);
      for (let j = c * CHUNK; j < end; j++) {
        const x = this.packedFloat[4 * j]!;
        const y = this.packedFloat[4 * j + 1]!;
        const price = this.packed[4 * j + 2]!;
        const codes = this.packed[4 * j + 3]!;
        sx += x;
        sy += y;
        minx = Math.min(minx, x);
        maxx = Math.max(maxx, x);
        miny = Math.min(miny, y);
        maxy = Math.max(maxy, y);
        minPrice = Math.min(minPrice, price);
        maxPrice = Math.max(maxPrice, price);
        const category = (codes >>> 8) & 0xff;
        if (categoryCounts[category]!++ === 0) touchedCategories.push(category);
        const color = codes >>> 16;
        if (colorCounts[color]!++ === 0) touchedColors.push(color);
      }
      this.count[c] = end - c * CHUNK;
      this.sums.set([sx, sy], 2 * c);
      this.bounds.set([minx, maxx, miny, maxy], 4 * c);
      this.prices.set([minPrice, maxPrice], 2 * c);
      for (const code of touchedCategories) {
        categories.push((code << 8) | categoryCounts[code]!);
        categoryCounts[code] = 0;
      }
      for (const code of touchedColors) {
        colors.push((code << 8) | colorCounts[code]!);
        colorCounts[code] = 0;
      }
      this.categoryStart[c + 1] = categories.length;
      this.colorStart[c + 1] = colors.length;
    }
    this.category = Int32Array.from(categories);
    this.color = Int32Array.from(colors);
  }

  /** Where a slice of `entries` (a subarray of the same buffer) starts in it. */
  offsetOf(list: Int32Array): number {
    return (list.byteOffset - this.entries.byteOffset) / 4;
  }

  /** Entry j's member died or came back: its record follows, and its chunk's summary is stale. */
  setAlive(j: number, alive: number): void {
    this.packed[4 * j + 3] = (this.packed[4 * j + 3]! & ~0xff) | alive;
    this.stale[Math.floor(j / CHUNK)] = 1;
  }
}

/** The first index in [lo, hi) of an ascending list whose value is at least `value`. */
export function lowerBoundIn(list: Int32Array, value: number, lo = 0, hi = list.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index in [lo, hi) of an ascending list whose value is above `value`. */
export function upperBoundIn(list: Int32Array, value: number, lo = 0, hi = list.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * 1,024 buckets (fewer where many items share a price: 707 at 1,000,000 generated products, about
 * 1,400 items each): a band's two cut buckets hold few items to scan, and the buckets it covers whole
 * are merged from cached cells (server/stylemap/cluster.ts). Measured at 1,000,000 products, a $50-150
 * band over the whole map, p50: 32 buckets 3.8 ms, 128 buckets 1.1 ms, 256 buckets 0.15 ms (since
 * then faster scans), 512 buckets 0.10 ms, 1,024 buckets 0.06 ms. At most 65,536 (bucket codes are
 * 16-bit while the lists are built).
 */
const PRICE_BUCKETS = 1024;

/** Positions of each code, ascending: a counting sort over one column of the sorted part. */
function postings(codes: ArrayLike<number>, n: number, codeCount: number): Int32Array[] {
  const counts = new Int32Array(codeCount + 1);
  for (let i = 0; i < n; i++) counts[codes[i]! + 1]!++;
  for (let k = 1; k <= codeCount; k++) counts[k]! += counts[k - 1]!;
  const all = new Int32Array(n);
  const next = counts.slice(0, codeCount);
  for (let i = 0; i < n; i++) all[next[codes[i]!]!++] = i;
  return Array.from({ length: codeCount }, (_, k) => all.subarray(counts[k]!, counts[k + 1]!));
}

/** Price bucket edges at the quantiles of the catalog's prices (about equal buckets). */
function priceEdges(price: Int32Array, n: number): Int32Array {
  if (n === 0) return new Int32Array([0]);
  const sample = Int32Array.from({ length: Math.min(n, 100_000) }, (_, k) => price[Math.floor((k * n) / Math.min(n, 100_000))]!).sort();
  const edges: number[] = [-2147483648];
  for (let k = 1; k < PRICE_BUCKETS; k++) {
    const edge = sample[Math.floor((k * sample.length) / PRICE_BUCKETS)]!;
    if (edge > edges[edges.length - 1]!) edges.push(edge);
  }
  return Int32Array.from(edges);
}

/** The bucket of price p: the last edge at or below it (the first bucket for a price below every edge). */
export function priceBucket(edges: Int32Array, p: number): number {
  return Math.max(0, upperBoundIn(edges, p) - 1);
}

const maps = new WeakMap<CatalogIndex, StyleMapIndex>();

/** The style map of this database's current catalog index, caught up with its changes. */
export async function styleMapFor(db: Db): Promise<StyleMapIndex> {
  const catalog = await catalogIndexFor(db);
  let map = maps.get(catalog);
  if (!map) maps.set(catalog, (map = new StyleMapIndex(catalog)));
  else map.catchUp();
  return map;
}
