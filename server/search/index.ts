import type { Db } from "@/db/client";
import * as catalog from "@/db/repos/catalog";
import type { IndexedProductRow } from "@/db/repos/catalog";
import { normalizeSize } from "../checkout/basket";
import { singular } from "./parse";
import { OCCASIONS, WEATHER, type Occasion, type Weather } from "../catalog/attributes";

/**
 * The catalog's search index, in memory, one per app process and database.
 *
 * Why not Postgres full-text search: ranking "most of the words" (an OR over every clause, scored)
 * plus personal signals plus facet counts is a scan of every matching row, which at 1,000,000 products
 * is tens of milliseconds in SQL and under ten here. Why not a search library (MiniSearch, FlexSearch):
 * they keep per-document maps that need gigabytes at a million items, and know nothing of the
 * structured attributes (department, occasions, sizes) that are most of what shoppers ask for. This is
 * an inverted index of typed arrays: about 150 bytes per product.
 *
 * Postgres stays the source of truth: results are read back from `products` by id, so titles, prices
 * and stock are always current. The index follows `catalog_changes` (appended by a trigger on every
 * write to `products`): each search first applies the changes since the last one it saw, so a price or
 * stock change is searchable on the next request; a bulk load (more than CHANGES_APPLIED_INLINE
 * changes) rebuilds in the background while searches use the previous index.
 */

/** The columns the index reads (db/repos/catalog.ts). */
export type IndexedProduct = IndexedProductRow;

const CHANGES_APPLIED_INLINE = 2000;
const LOAD_BATCH = 20_000;
/** Rebuilt at least this often, so tombstones do not pile up and pruned change rows are never needed. */
const MAX_AGE_MS = 12 * 60 * 60 * 1000;

/** A string -> small integer dictionary (categories, colours, …). */
class Dictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();
  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
    }
    return code;
  }
  find(value: string): number | undefined {
    return this.codes.get(value);
  }
  private readonly lists: Array<string[] | undefined> = [];
  /**
   * The value at `code` read as a JSON list, parsed once and shared (frozen: a caller that changed it
   * would change every item holding it). Cards and styles read many items' lists per plan: parsed on
   * each read they were a good part of a pool's building and of its garbage.
   */
  list(code: number): string[] {
    return (this.lists[code] ??= Object.freeze(JSON.parse(this.values[code]!) as string[]) as string[]);
  }
}

/**
 * Short texts (product titles) in one growing byte arena instead of a million strings: a few bytes of
 * bookkeeping each and nothing for the garbage collector to walk.
 */
class TextArena {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  /** Appends `text`; returns its start (its length is the second value). */
  append(text: string): [number, number] {
    const needed = this.used + text.length * 3;
    if (needed > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(needed, Math.ceil(this.bytes.length * 1.5)));
      bigger.set(this.bytes.subarray(0, this.used));
      this.bytes = bigger;
    }
    const start = this.used;
    this.used += this.encoder.encodeInto(text, this.bytes.subarray(start)).written;
    return [start, this.used - start];
  }

  /** Gives back the growth headroom (after a bulk load). */
  compact(): void {
    this.bytes = this.bytes.slice(0, this.used);
  }

  read(start: number, length: number): string {
    return this.decoder.decode(this.bytes.subarray(start, start + length));
  }
}

export interface Membership {
  bits: Uint32Array;
  liveByDepartment: Int32Array;
}

export interface Postings {
  base: Int32Array;
  extra: number[];
}

export class CatalogIndex {
  size = 0;
  live = 0;
  /** Live items per department code (a department filter's total without a scan). */
  readonly liveByDepartment = new Int32Array(256);
  lastSeq = 0;
  /** Bumped by every add and remove, so structures derived from the index (the style map) know to catch up. */
  version = 0;
  readonly loadedAt = Date.now();
  ids: string[] = [];
  /** Ordinals below this hold ascending ids (the load reads in id order): comparing two of them compares their ids. */
  idOrderedBelow = 0;
  readonly ordinalOf = new Map<string, number>();
  alive = new Uint8Array(0);
  /** 0 once removed, else the department's code + 1: the one column a search reads to know an item may show. */
  gate = new Uint16Array(0);
  category = new Uint8Array(0);
  subcategory = new Uint16Array(0);
  department = new Uint8Array(0);
  brand = new Uint16Array(0);
  price = new Int32Array(0);
  x = new Float32Array(0);
  y = new Float32Array(0);
  styleMask = new Uint32Array(0);
  colors: number[][] = [];
  sizes: string[][] = [];
  /** Sizes in stock as a bit set over the first 64 size codes (personal ranking's hot path). */
  sizeLo = new Uint32Array(0);
  sizeHi = new Uint32Array(0);
  /** Seasons as bits over the first 16 codes of `seasonNames` (the planner's pool filter). */
  seasonBits = new Uint16Array(0);
  /** Occasions (server/catalog/attributes.ts) as bits in `OCCASIONS` order: the planner reads the goals' occasions. */
  occasionBits = new Uint16Array(0);
  /** Weather (server/catalog/attributes.ts) as bits in `WEATHER` order: winter outfits need warm outerwear. */
  weatherBits = new Uint8Array(0);
  formality = new Uint8Array(0);
  readonly seasonNames = new Dictionary();
  readonly sizeCodes = new Dictionary();
  readonly categories = new Dictionary();
  readonly subcategories = new Dictionary();
  readonly departments = new Dictionary();
  /** Lower-cased brand names. */
  readonly brands = new Dictionary();
  readonly colorNames = new Dictionary();
  readonly styles = new Dictionary();
  readonly postings = new Map<string, Postings>();
  private readonly derivedCache = new Map<string, unknown>();
  private derivedVersion = -1;
  /** Scratch for relatedOnly: all zero between calls. */
  private marks = new Uint8Array(0);
  // What result cards show, as given (the fields above are normalised for matching).
  private readonly titles = new TextArena();
  private titleStart = new Int32Array(0);
  private titleLength = new Int32Array(0);
  private shownBrand = new Int32Array(0);
  private shownCurrency = new Int32Array(0);
  private shownSizes = new Int32Array(0);
  private shownColors = new Int32Array(0);
  private shownPattern = new Int32Array(0);
  private shownSeasons = new Int32Array(0);
  private shownStyleTags = new Int32Array(0);
  private readonly shownValues = new Dictionary();
  /** The few products with their own image (generated ones use the app's image route). */
  private readonly imageUrls = new Map<number, string>();
  /** Catalog words and how many items use them: the typo corrector's targets. */
  readonly vocabulary = new Map<string, number>();
  readonly materialWords = new Set<string>();
  readonly patterns = new Set<string>();

  add(p: IndexedProduct): void {
    const previous = this.ordinalOf.get(p.id);
    if (previous !== undefined) this.remove(p.id);
    const o = this.size++;
    this.version++;
    this.grow(this.size);
    this.ids[o] = p.id;
    this.ordinalOf.set(p.id, o);
    this.alive[o] = 1;
    this.live++;
    this.category[o] = this.categories.code(p.category);
    this.subcategory[o] = this.subcategories.code(p.subcategory);
    this.department[o] = this.departments.code(p.department);
    this.gate[o] = this.department[o]! + 1;
    this.liveByDepartment[this.department[o]!]!++;
    this.brand[o] = this.brands.code(p.brand.toLowerCase());
    this.price[o] = p.priceMinor;
    [this.titleStart[o], this.titleLength[o]] = this.titles.append(p.title);
    this.shownBrand[o] = this.shownValues.code(p.brand);
    this.shownCurrency[o] = this.shownValues.code(p.currency);
    this.shownSizes[o] = this.shownValues.code(JSON.stringify(p.sizesInStock));
    this.shownColors[o] = this.shownValues.code(JSON.stringify(p.colors));
    this.shownPattern[o] = this.shownValues.code(p.pattern);
    this.shownSeasons[o] = this.shownValues.code(JSON.stringify(p.seasons));
    this.shownStyleTags[o] = this.shownValues.code(JSON.stringify(p.styleTags));
    this.formality[o] = p.formality;
    let seasons = 0;
    for (const season of p.seasons) {
      const code = this.seasonNames.code(season);
      if (code < 16) seasons |= 1 << code;
    }
    this.seasonBits[o] = seasons;
    this.occasionBits[o] = bitsOf(p.occasions, OCCASIONS);
    this.weatherBits[o] = bitsOf(p.weather, WEATHER);
    if (p.imageUrl) this.imageUrls.set(o, p.imageUrl);
    this.x[o] = p.position.x;
    this.y[o] = p.position.y;
    let mask = 0;
    for (const tag of p.styleTags) {
      const code = this.styles.code(tag);
      if (code < 32) mask |= 1 << code;
    }
    this.styleMask[o] = mask >>> 0;
    this.colors[o] = p.colors.map((c) => this.colorNames.code(c.toLowerCase()));
    this.sizes[o] = p.sizesInStock.map(normalizeSize);
    let lo = 0;
    let hi = 0;
    for (const size of this.sizes[o]) {
      const code = this.sizeCodes.code(size);
      if (code < 32) lo |= 1 << code;
      else if (code < 64) hi |= 1 << (code - 32);
    }
    this.sizeLo[o] = lo >>> 0;
    this.sizeHi[o] = hi >>> 0;
    for (const token of this.tokensOf(p)) this.post(token, o);
  }

  remove(id: string): void {
    const o = this.ordinalOf.get(id);
    if (o === undefined) return;
    this.ordinalOf.delete(id);
    this.version++;
    if (this.alive[o]) {
      this.live--;
      this.liveByDepartment[this.department[o]!]!--;
    }
    this.alive[o] = 0;
    this.gate[o] = 0;
  }

  /** The result card of the item at ordinal `o`, as the catalog holds it: a search needs no second query. */
  summaryOf(o: number): catalog.ProductSummaryRow {
    const values = this.shownValues.values;
    return {
      id: this.ids[o]!,
      title: this.titles.read(this.titleStart[o]!, this.titleLength[o]!),
      brand: values[this.shownBrand[o]!]!,
      category: this.categories.values[this.category[o]!]!,
      subcategory: this.subcategories.values[this.subcategory[o]!]!,
      department: this.departments.values[this.department[o]!]! as catalog.ProductSummaryRow["department"],
      colors: this.shownValues.list(this.shownColors[o]!),
      sizesInStock: this.shownValues.list(this.shownSizes[o]!),
      priceMinor: this.price[o]!,
      currency: values[this.shownCurrency[o]!]!,
      imageUrl: this.imageUrls.get(o) ?? null,
    };
  }

  /** What the planner reads besides the card (server/planning/pool.ts), as the catalog holds it. */
  styleOf(o: number): { pattern: string; formality: number; seasons: string[]; styleTags: string[]; occasions: Occasion[]; weather: Weather[] } {
    const values = this.shownValues.values;
    return {
      pattern: values[this.shownPattern[o]!]!,
      formality: this.formality[o]!,
      seasons: this.shownValues.list(this.shownSeasons[o]!),
      styleTags: this.shownValues.list(this.shownStyleTags[o]!),
      occasions: namesOf(this.occasionBits[o]!, OCCASIONS),
      weather: namesOf(this.weatherBits[o]!, WEATHER),
    };
  }

  /** Calls `visit` for every ordinal (live or not) holding `token`. */
  forEach(token: string, visit: (ordinal: number) => void): void {
    const list = this.postings.get(token);
    if (!list) return;
    const { base, extra } = list;
    for (let i = 0; i < base.length; i++) visit(base[i]!);
    for (let i = 0; i < extra.length; i++) visit(extra[i]!);
  }

  /**
   * The items of the `related` lists that hold none of the `own` tokens, each once, in ordinal order:
   * what a clause's looser words add to its own ("jacket" adds parkas to "jackets"; "tee" adds nothing
   * to "t-shirts", and then nothing is scanned twice). Kept per token set until the next add or remove.
   */
  relatedOnly(own: readonly string[], related: readonly string[]): Int32Array {
    const key = `related ${own.join(" ")}|${related.join(" ")}`;
    const cached = this.derived(key) as Int32Array | undefined;
    if (cached) return cached;
    if (this.marks.length < this.size) this.marks = new Uint8Array(this.alive.length);
    const marks = this.marks;
    for (const token of own) this.forEach(token, (o) => (marks[o] = 1));
    const added: number[] = [];
    for (const token of related) {
      this.forEach(token, (o) => {
        if (marks[o] === 0) {
          marks[o] = 1;
          added.push(o);
        }
      });
    }
    for (const token of own) this.forEach(token, (o) => (marks[o] = 0));
    for (const o of added) marks[o] = 0;
    const result = Int32Array.from(added).sort();
    this.derivedCache.set(key, result);
    return result;
  }

  /**
   * For a token many items hold ("for work", "warm"): a bit per ordinal, and how many live items hold it
   * per department. A search then adds the token's weight to its candidates without reading its list.
   * Kept until the next add or remove.
   */
  membership(token: string): Membership {
    const key = `membership ${token}`;
    const cached = this.derived(key) as Membership | undefined;
    if (cached) return cached;
    const bits = new Uint32Array(Math.ceil(this.size / 32) + 1);
    const liveByDepartment = new Int32Array(256);
    this.forEach(token, (o) => {
      bits[o >>> 5]! |= 1 << (o & 31);
      liveByDepartment[this.department[o]!]! += this.alive[o]!;
    });
    const result = { bits, liveByDepartment };
    this.derivedCache.set(key, result);
    return result;
  }

  /** A bit per ordinal for the items that may show under `gates` (by gate value: live, in an allowed department). Kept until the next add or remove. */
  gateBits(gates: Uint8Array): Uint32Array {
    const key = `gates ${gates.join("")}`;
    const cached = this.derived(key) as Uint32Array | undefined;
    if (cached) return cached;
    const bits = new Uint32Array(Math.ceil(this.size / 32) + 1);
    for (let o = 0; o < this.size; o++) bits[o >>> 5]! |= gates[this.gate[o]!]! << (o & 31);
    this.derivedCache.set(key, bits);
    return bits;
  }

  /** A cached structure derived from the postings, or undefined (the cache empties at every add or remove). */
  private derived(key: string): unknown {
    if (this.derivedVersion !== this.version || this.derivedCache.size >= 256) {
      this.derivedCache.clear();
      this.derivedVersion = this.version;
    }
    return this.derivedCache.get(key);
  }

  count(token: string): number {
    const list = this.postings.get(token);
    return list ? list.base.length + list.extra.length : 0;
  }

  /** After a bulk load: postings into typed arrays (a quarter of the memory of number arrays). */
  seal(): void {
    this.titles.compact();
    let k = 1;
    while (k < this.size && this.ids[k - 1]! < this.ids[k]!) k++;
    this.idOrderedBelow = Math.min(k, this.size);
    for (const list of this.postings.values()) {
      if (list.extra.length === 0) continue;
      const merged = new Int32Array(list.base.length + list.extra.length);
      merged.set(list.base);
      merged.set(list.extra, list.base.length);
      list.base = merged;
      list.extra = [];
    }
  }

  private post(token: string, o: number) {
    let list = this.postings.get(token);
    if (!list) this.postings.set(token, (list = { base: new Int32Array(0), extra: [] }));
    list.extra.push(o);
  }

  private tokensOf(p: IndexedProduct): Set<string> {
    const tokens = new Set<string>();
    for (const word of p.searchText.split(" ")) {
      if (!word) continue;
      tokens.add(`t:${singular(word)}`);
      this.vocabulary.set(word, (this.vocabulary.get(word) ?? 0) + 1);
    }
    for (const color of p.colors) tokens.add(`c:${color.toLowerCase()}`);
    for (const material of p.materials) {
      const m = material.toLowerCase();
      tokens.add(`m:${m}`);
      for (const word of m.split(/[\s-]+/)) {
        tokens.add(`m:${word}`);
        this.materialWords.add(word);
      }
      this.materialWords.add(m);
    }
    tokens.add(`p:${p.pattern.toLowerCase()}`);
    this.patterns.add(p.pattern.toLowerCase());
    for (const o of p.occasions) tokens.add(`o:${o}`);
    for (const w of p.weather) tokens.add(`w:${w}`);
    if (p.fit) tokens.add(`f:${p.fit}`);
    if (p.length) tokens.add(`l:${p.length}`);
    tokens.add(`d:${p.department}`);
    tokens.add(`k:${p.brandTier}`);
    for (const s of p.styleTags) tokens.add(`s:${s}`);
    tokens.add(`cat:${p.category}`);
    tokens.add(`sub:${p.subcategory}`);
    tokens.add(`b:${p.brand.toLowerCase()}`);
    for (const size of p.sizesInStock) tokens.add(`z:${normalizeSize(size)}`);
    return tokens;
  }

  private grow(needed: number) {
    if (needed <= this.alive.length) return;
    const capacity = Math.max(1024, Math.ceil(needed * 1.5));
    const resize = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array>(a: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(a);
      return next;
    };
    this.alive = resize(this.alive, (n) => new Uint8Array(n));
    this.gate = resize(this.gate, (n) => new Uint16Array(n));
    this.category = resize(this.category, (n) => new Uint8Array(n));
    this.subcategory = resize(this.subcategory, (n) => new Uint16Array(n));
    this.department = resize(this.department, (n) => new Uint8Array(n));
    this.brand = resize(this.brand, (n) => new Uint16Array(n));
    this.price = resize(this.price, (n) => new Int32Array(n));
    this.x = resize(this.x, (n) => new Float32Array(n));
    this.y = resize(this.y, (n) => new Float32Array(n));
    this.styleMask = resize(this.styleMask, (n) => new Uint32Array(n));
    this.sizeLo = resize(this.sizeLo, (n) => new Uint32Array(n));
    this.sizeHi = resize(this.sizeHi, (n) => new Uint32Array(n));
    this.titleStart = resize(this.titleStart, (n) => new Int32Array(n));
    this.titleLength = resize(this.titleLength, (n) => new Int32Array(n));
    this.shownBrand = resize(this.shownBrand, (n) => new Int32Array(n));
    this.shownCurrency = resize(this.shownCurrency, (n) => new Int32Array(n));
    this.shownSizes = resize(this.shownSizes, (n) => new Int32Array(n));
    this.shownColors = resize(this.shownColors, (n) => new Int32Array(n));
    this.shownPattern = resize(this.shownPattern, (n) => new Int32Array(n));
    this.shownSeasons = resize(this.shownSeasons, (n) => new Int32Array(n));
    this.shownStyleTags = resize(this.shownStyleTags, (n) => new Int32Array(n));
    this.seasonBits = resize(this.seasonBits, (n) => new Uint16Array(n));
    this.occasionBits = resize(this.occasionBits, (n) => new Uint16Array(n));
    this.weatherBits = resize(this.weatherBits, (n) => new Uint8Array(n));
    this.formality = resize(this.formality, (n) => new Uint8Array(n));
  }
}

// ---- loading and following changes ------------------------------------------------------------------

export async function loadCatalogIndex(db: Db): Promise<CatalogIndex> {
  const index = new CatalogIndex();
  // The sequence first: changes made while loading are applied again afterwards (applying is idempotent).
  index.lastSeq = await catalog.latestCatalogChange(db);
  let after = "";
  for (;;) {
    const rows = await catalog.indexedProductsAfter(db, after, LOAD_BATCH);
    for (const row of rows) index.add(row);
    if (rows.length < LOAD_BATCH) break;
    after = rows[rows.length - 1]!.id;
  }
  index.seal();
  return index;
}

/** Applies the changes since the index's last sequence; false when there are too many (rebuild instead). */
async function applyChanges(db: Db, index: CatalogIndex): Promise<boolean> {
  const changes = await catalog.catalogChangesAfter(db, index.lastSeq, CHANGES_APPLIED_INLINE + 1);
  if (changes.length === 0) return true;
  if (changes.length > CHANGES_APPLIED_INLINE) return false;
  const ids = [...new Set(changes.map((c) => c.productId))];
  const rows = await catalog.indexedProductsById(db, ids);
  const present = new Set(rows.map((r) => r.id));
  for (const id of ids) if (!present.has(id)) index.remove(id);
  for (const row of rows) index.add(row);
  index.lastSeq = changes[changes.length - 1]!.seq;
  return true;
}

interface Holder {
  index?: CatalogIndex;
  loading?: Promise<CatalogIndex>;
  syncing?: Promise<void>;
}
/** A closed vocabulary's values (occasions, weather) as bits in its order; values outside it are dropped. */
function bitsOf(values: readonly string[], vocabulary: readonly string[]): number {
  let bits = 0;
  for (const value of values) {
    const bit = vocabulary.indexOf(value);
    if (bit >= 0) bits |= 1 << bit;
  }
  return bits;
}

/** The names of the bits set, shared per bit pattern and vocabulary (frozen, as Dictionary.list's). */
function namesOf<T extends string>(bits: number, vocabulary: readonly T[]): T[] {
  let byBits = names.get(vocabulary);
  if (!byBits) names.set(vocabulary, (byBits = []));
  return (byBits[bits] ??= Object.freeze(vocabulary.filter((_, bit) => (bits & (1 << bit)) !== 0)) as unknown as string[]) as T[];
}
const names = new WeakMap<readonly string[], string[][]>();

const holders = new WeakMap<Db, Holder>();

/** The index as loaded now, without waiting or catching up (undefined before the first load). */
export function loadedCatalogIndex(db: Db): CatalogIndex | undefined {
  return holders.get(db)?.index;
}

/**
 * The current index for this database: loaded on first use, brought up to date with the catalog's
 * changes on every call. Concurrent callers share one load and one catch-up. `known`: the caller has
 * just read that nothing changed after `seq` (catalog.search reads it with the person's signals, in one
 * round trip); when that is this index's sequence, no catch-up is needed.
 */
export async function catalogIndexFor(db: Db, known?: { seq: number; changed: boolean }): Promise<CatalogIndex> {
  const current = holders.get(db)?.index;
  if (current && known && !known.changed && known.seq === current.lastSeq && Date.now() - current.loadedAt < MAX_AGE_MS) return current;
  let holder = holders.get(db);
  if (!holder) holders.set(db, (holder = {}));
  if (!holder.index) {
    holder.loading ??= loadCatalogIndex(db).finally(() => (holder.loading = undefined));
    holder.index = await holder.loading;
    return holder.index;
  }
  holder.syncing ??= sync(db, holder).finally(() => (holder.syncing = undefined));
  await holder.syncing;
  return holder.index;
}

async function sync(db: Db, holder: Holder): Promise<void> {
  const index = holder.index!;
  const upToDate = Date.now() - index.loadedAt < MAX_AGE_MS && (await applyChanges(db, index));
  if (upToDate || holder.loading) return;
  // A bulk change: rebuild in the background; searches keep the previous index until it is ready.
  holder.loading = loadCatalogIndex(db)
    .then((fresh) => (holder.index = fresh))
    .finally(() => (holder.loading = undefined));
  holder.loading.catch(() => {});
}
