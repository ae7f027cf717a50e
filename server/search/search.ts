import type { Sizes } from "@/db/schema";
import { normalizeSize, wantedSizes } from "../checkout/basket";
import type { CatalogIndex, Postings } from "./index";
import type { ParsedQuery } from "./parse";

/**
 * Ranking, in this order:
 * 1. how much of the query an item matches: the sum of its matched clauses' weights (garment words 3,
 *    colours, occasions, weather, fit and length 2, materials, patterns and other words 1.5, tiers and
 *    styles 1), so items matching every clause come first, then those matching most of them;
 * 2. within equal matches, the signed-in person: their size in stock (+1.5 when the profile gives a
 *    size for that kind of item), their style tags (+0.4 each), closeness on the style map to items
 *    they liked in the same subcategory (up to +1.2 each), and away from items they disliked (the item
 *    itself -4, its near neighbours in the same subcategory up to -2);
 * 3. the catalog's order (ids), so pages are stable.
 */

export interface SearchFilters {
  categories?: string[];
  brands?: string[];
  departments?: string[];
  colors?: string[];
  sizes?: string[];
  minPriceMinor?: number;
  maxPriceMinor?: number;
}

export interface Person {
  styleTags: string[];
  sizes: Sizes;
  liked: string[];
  disliked: string[];
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface Facets {
  department: FacetCount[];
  category: FacetCount[];
  color: FacetCount[];
  priceBand: FacetCount[];
  size: FacetCount[];
}

export interface SearchHit {
  ordinal: number;
  id: string;
  why: string;
}

export interface SearchOutcome {
  hits: SearchHit[];
  total: number;
  facets?: Facets;
}

export const PRICE_BANDS: Array<{ label: string; min: number; max: number }> = [
  { label: "under $50", min: 0, max: 4999 },
  { label: "$50–$100", min: 5000, max: 9999 },
  { label: "$100–$200", min: 10000, max: 19999 },
  { label: "$200–$500", min: 20000, max: 49999 },
  { label: "$500 and up", min: 50000, max: Number.MAX_SAFE_INTEGER },
];

const MAX_CLAUSES = 24;
const LIKED_RADIUS = 20;
const DISLIKED_RADIUS = 8;

// Scratch buffers shared by every search (a search runs synchronously from start to end).
let scores = new Float32Array(0);
let matched = new Uint32Array(0);
let candidateBuffer = new Int32Array(0);
/** The candidates holding a broad clause's token (addMembers). */
let memberBuffer = new Int32Array(0);
/** How many candidates hold each match score (scores are multiples of 0.5: bucket = score × 2), kept as scores change. */
const histogram = new Uint32Array(MAX_CLAUSES * 3 * 2 + 1);
const TOP_BUCKET = histogram.length - 1;

export function searchIndex(
  index: CatalogIndex,
  query: ParsedQuery,
  filters: SearchFilters,
  person: Person | null,
  page: { offset: number; limit: number; facets?: boolean; /** Score every candidate (the tests' reference for the pruned paths). */ exhaustive?: boolean },
): SearchOutcome {
  const n = index.size;
  if (scores.length < n) {
    scores = new Float32Array(Math.ceil(n * 1.25));
    matched = new Uint32Array(scores.length);
    candidateBuffer = new Int32Array(scores.length);
    memberBuffer = new Int32Array(scores.length);
  }
  const { mask: allowed, driver } = allowedMask(index, query, filters);
  const minPrice = Math.max(query.minPriceMinor ?? 0, filters.minPriceMinor ?? 0);
  const maxPrice = Math.min(query.maxPriceMinor ?? Number.MAX_SAFE_INTEGER, filters.maxPriceMinor ?? Number.MAX_SAFE_INTEGER);

  // 1. Candidates and their match scores (hot loops: typed arrays, monomorphic, no closures).
  const clauses = query.clauses.slice(0, MAX_CLAUSES);
  const cut: Cut = {
    gate: index.gate,
    gates: gatesOf(index, departmentsAllowed(index, query, filters)),
    allowed,
    price: index.price,
    priced: minPrice > 0 || maxPrice < Number.MAX_SAFE_INTEGER,
    minPrice,
    maxPrice,
  };
  const personal = personalScorer(index, person);
  const wanted = page.offset + page.limit;
  if (clauses.length === 0 && personal && allowed === null && !page.facets && !page.exhaustive) return personalListing(index, cut, personal, wanted, page.offset);
  if (clauses.length >= 2 && allowed === null && !cut.priced && !page.facets && !page.exhaustive) {
    const page1 = fullMatchPage(index, clauses, cut, personal, wanted, page.offset);
    if (page1) return page1;
  }
  let count = 0;
  let outsiders = 0;
  if (clauses.length === 0 && personal && driver && !page.exhaustive) {
    // Only the filter's own items can pass: walk its smallest group's postings, not the catalog. (Ranked
    // by the person, the order candidates come in does not matter; unranked, the page is the catalog's
    // order, so that case scans.)
    count = filtered(driver, cut);
  } else if (clauses.length === 0) {
    count = everything(cut, n);
  } else {
    const broad = page.facets || page.exhaustive ? null : broadClause(index, clauses);
    for (let c = 0; c < clauses.length; c++) {
      if (c === broad?.clause) continue;
      const clause = clauses[c]!;
      // The clause's own tokens first: an item holding one of those never scores the related weight.
      for (const token of clause.tokens) {
        const list = index.postings.get(token);
        if (!list) continue;
        count = accumulate(list.base, list.base.length, 1 << c, clause.weight, cut, count);
        if (list.extra.length) count = accumulate(list.extra, list.extra.length, 1 << c, clause.weight, cut, count);
      }
      const related = clause.related ?? [];
      if (related.length === 0) continue;
      if (page.exhaustive) {
        // The tests' reference: every related list in full (their overlap with the own lists is skipped
        // item by item).
        for (const token of related) {
          const list = index.postings.get(token);
          if (!list) continue;
          count = accumulate(list.base, list.base.length, 1 << c, clause.weight - 0.5, cut, count);
          if (list.extra.length) count = accumulate(list.extra, list.extra.length, 1 << c, clause.weight - 0.5, cut, count);
        }
      } else {
        // Only what the related words add: "t:blazer" and "sub:blazers" hold the same items.
        const added = index.relatedOnly(clause.tokens, related);
        count = accumulate(added, added.length, 1 << c, clause.weight - 0.5, cut, count);
      }
    }
    if (broad) {
      // The broad clause last: it adds its weight to the candidates it holds, and the items holding
      // nothing else are only counted. They all score exactly its weight, so they can reach this page
      // only when fewer than `wanted` candidates score more; then they are added after all.
      const bit = 1 << broad.clause;
      if (cut.allowed === null && !cut.priced && count < broad.list.base.length + broad.list.extra.length) {
        // Only departments narrow, and there are fewer candidates than items holding the token: test the
        // candidates against the token's bits, and take the count of the others from its live counts.
        const { bits, liveByDepartment } = index.membership(broad.token);
        const inside = addMembers(bits, bit, broad.weight, count);
        outsiders = liveUnder(liveByDepartment, cut) - inside;
      } else {
        outsiders = addBroad(broad.list.base, broad.list.base.length, bit, broad.weight, cut);
        if (broad.list.extra.length) outsiders += addBroad(broad.list.extra, broad.list.extra.length, bit, broad.weight, cut);
      }
      if (outsiders > 0 && countAbove(broad.weight) < wanted) {
        count = accumulate(broad.list.base, broad.list.base.length, bit, broad.weight, cut, count);
        if (broad.list.extra.length) count = accumulate(broad.list.extra, broad.list.extra.length, bit, broad.weight, cut, count);
        outsiders = 0;
      }
    }
  }
  const candidates = candidateBuffer.subarray(0, count);

  // 2. Only the best-matching tiers can reach this page: personal scores are computed for those alone.
  const threshold = clauses.length === 0 ? 0 : scoreThreshold(wanted);
  histogram.fill(0);
  const heap = new TopK(wanted);
  if (clauses.length === 0 && !personal) {
    // Nothing ranks: the catalog's order.
    for (let i = 0; i < Math.min(count, wanted); i++) heap.offer(candidates[i]!, 0, 0);
  } else {
    // One pass: each candidate's score and clause bits are read and reset (the scratch arrays are clean
    // for the next search), and only what can place is offered. Bound and skip: an item whose best
    // possible personal score (its subcategory's bound) cannot beat the worst result kept is never
    // scored. Exact: the bound is summed like the score, and IEEE addition is monotonic.
    const bound = personal?.boundBySubcategory;
    const subcategory = index.subcategory;
    const prune = !page.exhaustive;
    const dirty = clauses.length > 0;
    for (let i = 0; i < count; i++) {
      const o = candidates[i]!;
      const score = scores[o]!;
      const bits = matched[o]!;
      if (dirty) {
        scores[o] = 0;
        matched[o] = 0;
      }
      const floor = heap.floor();
      if (score < threshold || score < floor) continue;
      if (!personal) {
        heap.offer(o, score, 0, bits);
        continue;
      }
      if (score === floor && prune) {
        const best = bound![subcategory[o]!]!;
        const worst = heap.worstPersonal();
        if (best < worst || (best === worst && o > heap.worstOrdinal())) continue;
      }
      heap.offer(o, score, personal.score(o), bits);
    }
  }
  const hits = heap
    .sortedEntries()
    .slice(page.offset)
    .map(({ o, bits }) => ({ ordinal: o, id: index.ids[o]!, why: explain(clauses, bits, personal?.reasons(o) ?? []) }));
  const outcome: SearchOutcome = { hits, total: candidates.length + outsiders };
  if (page.facets) outcome.facets = facetsOf(index, candidates);
  return outcome;
}

/**
 * A query with no words and no filter mask, ranked for a person (a listing, "something for my
 * boyfriend"): subcategories are visited best bound first, and the walk stops once no remaining item can
 * place, so most of the catalog is counted but never scored. Gives exactly the full scan's page.
 */
function personalListing(index: CatalogIndex, cut: Cut, personal: PersonalScorer, wanted: number, offset: number): SearchOutcome {
  const bound = personal.boundBySubcategory;
  const subs = Array.from(bound.keys()).sort((a, b) => bound[b]! - bound[a]! || a - b);
  const heap = new TopK(wanted);
  for (const sub of subs) {
    const best = bound[sub]!;
    if (heap.floor() === 0 && best < heap.worstPersonal()) break;
    const list = index.postings.get(`sub:${index.subcategories.values[sub]!}`);
    if (!list) continue;
    // Each part of a posting list is in ordinal order, so once a tie on the bound loses on the ordinal,
    // the rest of that part does too.
    for (const part of [list.base, list.extra]) {
      for (let i = 0; i < part.length; i++) {
        const o = part[i]!;
        if (heap.floor() === 0) {
          if (best < heap.worstPersonal()) break;
          if (best === heap.worstPersonal() && o > heap.worstOrdinal()) break;
        }
        if (passing(cut, o) === 1) heap.offer(o, 0, personal.score(o));
      }
    }
  }
  const hits = heap
    .sortedEntries()
    .slice(offset)
    .map(({ o }) => ({ ordinal: o, id: index.ids[o]!, why: explain([], 0, personal.reasons(o)) }));
  return { hits, total: countPassing(cut, index) };
}

/**
 * A search of several clauses where only departments narrow, answered from the tokens' bits: the items
 * matching every clause are the AND of their clauses' bits, the total is the popcount of the OR, one
 * pass over the words of the catalog (a 32nd of its items). When the items matching every clause fill
 * the page and the last of it scores more than any item missing a clause can (the sum of the weights
 * but the smallest), that page is exactly the full scan's. Else null, and the usual path runs.
 */
function fullMatchPage(index: CatalogIndex, clauses: ParsedQuery["clauses"], cut: Cut, personal: PersonalScorer | null, wanted: number, offset: number): SearchOutcome | null {
  const own: Uint32Array[][] = [];
  const loose: Uint32Array[][] = [];
  let sum = 0;
  let least = Infinity;
  for (const clause of clauses) {
    const tokens = tokensHeld(index, clause);
    const mine = tokens.own.map((t) => index.membership(t).bits);
    own.push(mine);
    loose.push([...mine, ...tokens.related.map((t) => index.membership(t).bits)]);
    sum += clause.weight;
    least = Math.min(least, clause.weight);
  }
  const outside = sum - least;
  const gate = index.gateBits(cut.gates);
  const heap = new TopK(wanted);
  const all = (1 << clauses.length) - 1;
  const bound = personal?.boundBySubcategory;
  const subcategory = index.subcategory;
  let total = 0;
  let full = 0;
  for (let w = 0; w < gate.length; w++) {
    const pass = gate[w]!;
    if (pass === 0) continue;
    let every = pass;
    let some = 0;
    for (let c = 0; c < loose.length; c++) {
      const lists = loose[c]!;
      let word = 0;
      for (let t = 0; t < lists.length; t++) word |= lists[t]![w]!;
      every &= word;
      some |= word;
    }
    total += popcount(some & pass);
    while (every !== 0) {
      full++;
      const low = every & -every;
      every ^= low;
      const i = 31 - Math.clz32(low);
      const o = w * 32 + i;
      let score = 0;
      for (let c = 0; c < own.length; c++) {
        let mine = 0;
        for (const bits of own[c]!) mine |= (bits[w]! >>> i) & 1;
        score += mine ? clauses[c]!.weight : clauses[c]!.weight - 0.5;
      }
      const floor = heap.floor();
      if (score < floor) continue;
      // As in the usual path: on a tie, an item whose subcategory's bound cannot beat the worst kept is
      // never scored (items come in ordinal order, so an equal bound loses on the ordinal).
      if (score === floor && bound && bound[subcategory[o]!]! <= heap.worstPersonal()) continue;
      heap.offer(o, score, personal ? personal.score(o) : 0, all);
    }
  }
  if (full < wanted || !(heap.floor() > outside)) return null;
  const hits = heap
    .sortedEntries()
    .slice(offset)
    .map(({ o, bits }) => ({ ordinal: o, id: index.ids[o]!, why: explain(clauses, bits, personal?.reasons(o) ?? []) }));
  return { hits, total };
}

/**
 * 1 when item `o` passes the cut, else 0: the one test every loop uses. Branch-free over the item (the
 * conditions are random over the catalog, and a mispredicted branch per item costs more than the test);
 * the null checks are the same for the whole search.
 */
function passing(cut: Cut, o: number): number {
  // Unpriced, the bounds admit every price, 0 included: the price column is not read.
  const p = cut.priced ? cut.price[o]! : 0;
  return cut.gates[cut.gate[o]!]! & (cut.allowed === null ? 1 : cut.allowed[o]!) & Number(p >= cut.minPrice) & Number(p <= cut.maxPrice);
}

/** How many live items pass the cut: from the live counts when only departments narrow. */
function countPassing(cut: Cut, index: CatalogIndex): number {
  if (cut.allowed === null && !cut.priced) return liveUnder(index.liveByDepartment, cut);
  let count = 0;
  for (let o = 0; o < index.size; o++) count += passing(cut, o);
  return count;
}

interface Cut {
  /** The index's gate column: 0 once removed, else department code + 1. */
  gate: Uint16Array;
  /** By gate value: 1 when such an item may show (live, in an allowed department). */
  gates: Uint8Array;
  allowed: Uint8Array | null;
  price: Int32Array;
  /** Whether a price bound applies (the prices are read only then). */
  priced: boolean;
  minPrice: number;
  maxPrice: number;
}

/** Of live counts by department code, those the cut's departments admit. */
function liveUnder(liveByDepartment: Int32Array, cut: Cut): number {
  let live = 0;
  for (let code = 0; code + 1 < cut.gates.length; code++) live += cut.gates[code + 1]! * liveByDepartment[code]!;
  return live;
}

function gatesOf(index: CatalogIndex, departments: Uint8Array | null): Uint8Array {
  const gates = new Uint8Array(index.departments.values.length + 1);
  for (let code = 0; code < index.departments.values.length; code++) gates[code + 1] = departments === null ? 1 : departments[code]!;
  return gates;
}

function everything(cut: Cut, n: number): number {
  let count = 0;
  // Every ordinal is written; the count only moves past a passing one.
  for (let o = 0; o < n; o++) {
    candidateBuffer[count] = o;
    count += passing(cut, o);
  }
  return count;
}

function accumulate(list: ArrayLike<number>, length: number, bit: number, weight: number, cut: Cut, count: number): number {
  const added = bucketOf(weight);
  for (let i = 0; i < length; i++) {
    const o = list[i]!;
    const m = matched[o]!;
    if (m & bit) continue;
    if (m !== 0) raise(o, m, bit, weight);
    else if (passing(cut, o) === 1) {
      candidateBuffer[count++] = o;
      matched[o] = bit;
      scores[o] = weight;
      histogram[added]!++;
    }
  }
  return count;
}

/** A candidate matches one more clause: its score and its tier move up. */
function raise(o: number, m: number, bit: number, weight: number): void {
  const before = scores[o]!;
  matched[o] = m | bit;
  scores[o] = before + weight;
  histogram[bucketOf(before)]!--;
  histogram[bucketOf(before + weight)]!++;
}

function bucketOf(score: number): number {
  return Math.min(TOP_BUCKET, Math.round(score * 2));
}

/**
 * A clause worth matching last: one posting list (an occasion, the weather, a brand tier: "for work",
 * "warm", "cheap") holding more than an eighth of the catalog, in a query with other clauses. Most of
 * its items match nothing else and rank below the page, so they are counted, never gathered.
 */
function broadClause(index: CatalogIndex, clauses: ParsedQuery["clauses"]): { clause: number; token: string; list: Postings; weight: number } | null {
  if (clauses.length < 2) return null;
  let best: { clause: number; token: string; list: Postings; weight: number; size: number } | null = null;
  for (let c = 0; c < clauses.length; c++) {
    const clause = clauses[c]!;
    const { own, related } = tokensHeld(index, clause);
    if (own.length + related.length !== 1) continue;
    const token = own[0] ?? related[0]!;
    const list = index.postings.get(token)!;
    const size = list.base.length + list.extra.length;
    if (size * 8 > index.size && (!best || size > best.size)) best = { clause: c, token, list, weight: own.length ? clause.weight : clause.weight - 0.5, size };
  }
  return best;
}

/** A clause's tokens that some item holds, each once: its own, and the related ones that are not also its own. */
function tokensHeld(index: CatalogIndex, clause: ParsedQuery["clauses"][number]): { own: string[]; related: string[] } {
  const own = [...new Set(clause.tokens)].filter((t) => index.postings.has(t));
  const related = [...new Set(clause.related ?? [])].filter((t) => index.postings.has(t) && !own.includes(t));
  return { own, related };
}

/** The broad clause's pass: adds to the candidates it holds; returns how many others pass the cut. */
function addBroad(list: ArrayLike<number>, length: number, bit: number, weight: number, cut: Cut): number {
  let outsiders = 0;
  for (let i = 0; i < length; i++) {
    const o = list[i]!;
    const m = matched[o]!;
    if (m !== 0) raise(o, m, bit, weight);
    else outsiders += passing(cut, o);
  }
  return outsiders;
}

/**
 * The broad clause's pass over the candidates: those holding its token (by `bits`) gain its weight.
 * Returns how many did. Branch-free: the members are gathered first (a member is a coin toss per
 * candidate), then raised.
 */
function addMembers(bits: Uint32Array, bit: number, weight: number, count: number): number {
  let inside = 0;
  for (let i = 0; i < count; i++) {
    const o = candidateBuffer[i]!;
    memberBuffer[inside] = o;
    inside += (bits[o >>> 5]! >>> (o & 31)) & 1;
  }
  for (let i = 0; i < inside; i++) {
    const o = memberBuffer[i]!;
    raise(o, matched[o]!, bit, weight);
  }
  return inside;
}

/** How many candidates score more than `score`. */
function countAbove(score: number): number {
  let above = 0;
  for (let bucket = bucketOf(score) + 1; bucket <= TOP_BUCKET; bucket++) above += histogram[bucket]!;
  return above;
}

/**
 * The departments allowed, by department code (a column check in the hot loops rather than a mask):
 * "for men" admits men's and unisex items; a department filter admits exactly what it names.
 */
function departmentsAllowed(index: CatalogIndex, query: ParsedQuery, filters: SearchFilters): Uint8Array | null {
  if (!query.department && !filters.departments?.length) return null;
  const fromQuery = query.department ? (query.department === "men" || query.department === "women" ? [query.department, "unisex"] : [query.department]) : null;
  const fromFilter = filters.departments?.length ? filters.departments.map((d) => d.toLowerCase()) : null;
  const ok = new Uint8Array(Math.max(1, index.departments.values.length));
  index.departments.values.forEach((name, code) => {
    if ((!fromQuery || fromQuery.includes(name)) && (!fromFilter || fromFilter.includes(name))) ok[code] = 1;
  });
  return ok;
}

/**
 * Hard constraints as a mask: department, sizes, category, brand, colour filters; exclusions. Null:
 * everything. `driver`: the postings of the most selective group, which hold every item the mask admits.
 */
function allowedMask(index: CatalogIndex, query: ParsedQuery, filters: SearchFilters): { mask: Uint8Array | null; driver: Postings[] | null } {
  const groups: string[][] = [];
  if (filters.categories?.length) groups.push(filters.categories.flatMap((c) => [`cat:${c.toLowerCase()}`, `sub:${c.toLowerCase()}`]));
  if (filters.brands?.length) groups.push(filters.brands.map((b) => `b:${b.toLowerCase()}`));
  if (filters.colors?.length) groups.push(filters.colors.map((c) => `c:${c.toLowerCase()}`));
  const sizes = [...query.sizes, ...(filters.sizes ?? [])];
  if (sizes.length) groups.push(sizes.map((s) => `z:${normalizeSize(s)}`));
  if (groups.length === 0 && query.exclude.length === 0) return { mask: null, driver: null };

  const n = index.size;
  let mask: Uint8Array | null = null;
  let driver: Postings[] | null = null;
  let driverSize = Infinity;
  for (const group of groups) {
    const inGroup = new Uint8Array(n);
    for (const token of group) index.forEach(token, (o) => (inGroup[o] = 1));
    if (mask) for (let o = 0; o < n; o++) mask[o] = mask[o]! & inGroup[o]!;
    else mask = inGroup;
    const lists = [...new Set(group)].flatMap((t) => index.postings.get(t) ?? []);
    const size = lists.reduce((sum, l) => sum + l.base.length + l.extra.length, 0);
    if (size < driverSize) {
      driver = lists;
      driverSize = size;
    }
  }
  mask ??= new Uint8Array(n).fill(1);
  for (const exclusion of query.exclude) for (const token of exclusion.tokens) index.forEach(token, (o) => (mask![o] = 0));
  return { mask, driver };
}

/**
 * The candidates of a wordless search with a filter mask, from the driver's postings. The mask is this
 * search's own: an item taken is cleared in it, so one listed under two of the group's tokens is taken once.
 */
function filtered(driver: Postings[], cut: Cut): number {
  const mask = cut.allowed!;
  let count = 0;
  for (const list of driver) {
    for (const part of [list.base, list.extra]) {
      for (let i = 0; i < part.length; i++) {
        const o = part[i]!;
        if (passing(cut, o) === 1) candidateBuffer[count++] = o;
        mask[o] = 0;
      }
    }
  }
  return count;
}

/** The lowest match score that can still make the first `wanted` results (scores are multiples of 0.5). */
function scoreThreshold(wanted: number): number {
  let seen = 0;
  for (let bucket = TOP_BUCKET; bucket > 0; bucket--) {
    seen += histogram[bucket]!;
    if (seen >= wanted) return bucket / 2;
  }
  return 0;
}

interface PersonalScorer {
  score(o: number): number;
  reasons(o: number): string[];
  /** Per subcategory code: no item of it scores more (computed in the same order as `score`). */
  readonly boundBySubcategory: Float64Array;
}

interface Anchor {
  o: number;
  sub: number;
  x: number;
  y: number;
}

/** The person's signals resolved against the index once per search, so scoring an item is a few array reads. */
class PersonalRanker implements PersonalScorer {
  private readonly styleMask: number;
  private readonly styleNames: string[] = [];
  private readonly wantedLo: Uint32Array;
  private readonly wantedHi: Uint32Array;
  private readonly anchorSub: Uint8Array;
  private readonly liked: Anchor[];
  private readonly disliked: Anchor[];
  /** The anchors by subcategory: an item is compared only with the rated items of its own subcategory. */
  private readonly likedBySub: Anchor[][];
  private readonly dislikedBySub: Anchor[][];
  readonly boundBySubcategory: Float64Array;

  constructor(
    private readonly index: CatalogIndex,
    private readonly person: Person,
  ) {
    let mask = 0;
    for (const tag of person.styleTags) {
      const code = index.styles.find(tag);
      if (code !== undefined && code < 32) {
        mask |= 1 << code;
        this.styleNames[code] = tag;
      }
    }
    this.styleMask = mask >>> 0;
    const subs = index.subcategories.values.length;
    this.wantedLo = new Uint32Array(subs);
    this.wantedHi = new Uint32Array(subs);
    // Each subcategory's category: from any item of it (the dictionaries hold no such link).
    const categoryOfSub = new Map<number, string>();
    for (let o = 0; o < index.size && categoryOfSub.size < subs; o++) {
      if (!categoryOfSub.has(index.subcategory[o]!)) categoryOfSub.set(index.subcategory[o]!, index.categories.values[index.category[o]!]!);
    }
    for (const [sub, category] of categoryOfSub) {
      for (const size of wantedSizes({ category, subcategory: index.subcategories.values[sub]! }, person.sizes) ?? []) {
        const code = index.sizeCodes.find(normalizeSize(size));
        if (code !== undefined && code < 32) this.wantedLo[sub] = this.wantedLo[sub]! | (1 << code);
        else if (code !== undefined && code < 64) this.wantedHi[sub] = this.wantedHi[sub]! | (1 << (code - 32));
      }
    }
    const anchors = (ids: string[]) =>
      ids.flatMap((id) => {
        const o = index.ordinalOf.get(id);
        return o === undefined ? [] : [{ o, sub: index.subcategory[o]!, x: index.x[o]!, y: index.y[o]! }];
      });
    this.liked = anchors(person.liked);
    this.disliked = anchors(person.disliked);
    this.anchorSub = new Uint8Array(subs);
    for (const a of [...this.liked, ...this.disliked]) this.anchorSub[a.sub] = 1;
    const bySub = (anchors: Anchor[]) => {
      const lists: Anchor[][] = Array.from({ length: subs }, () => []);
      for (const a of anchors) lists[a.sub]!.push(a);
      return lists;
    };
    this.likedBySub = bySub(this.liked);
    this.dislikedBySub = bySub(this.disliked);
    this.boundBySubcategory = new Float64Array(subs);
    for (let sub = 0; sub < subs; sub++) {
      let best = 0;
      if (this.wantedLo[sub] !== 0 || this.wantedHi[sub] !== 0) best += 1.5;
      if (this.styleMask !== 0) best += 0.4 * popcount(this.styleMask);
      // Near liked items: at most 3; near disliked ones: at most 0.
      if (this.likedBySub[sub]!.length > 0) best += 3;
      this.boundBySubcategory[sub] = best;
    }
  }

  score(o: number): number {
    const index = this.index;
    const sub = index.subcategory[o]!;
    let score = 0;
    if ((index.sizeLo[o]! & this.wantedLo[sub]!) !== 0 || (index.sizeHi[o]! & this.wantedHi[sub]!) !== 0) score += 1.5;
    if (this.styleMask !== 0) score += 0.4 * popcount(index.styleMask[o]! & this.styleMask);
    if (this.anchorSub[sub] === 1) score += this.likedScore(o, sub) + this.dislikedScore(o, sub);
    return score;
  }

  reasons(o: number): string[] {
    const index = this.index;
    const sub = index.subcategory[o]!;
    const reasons: string[] = [];
    const shared = index.styleMask[o]! & this.styleMask;
    const tags = this.styleNames.filter((_, code) => shared & (1 << code));
    if (tags.length) reasons.push(`your style: ${tags.join(", ")}`);
    const wanted = new Set((wantedSizes({ category: index.categories.values[index.category[o]!]!, subcategory: index.subcategories.values[sub]! }, this.person.sizes) ?? []).map(normalizeSize));
    const size = index.sizes[o]!.find((s) => wanted.has(s));
    if (size && index.sizes[o]!.length > 1) reasons.push(`in your size ${size}`);
    if (this.anchorSub[sub] === 1 && this.likedScore(o, sub) > 0.3) reasons.push("like items you liked");
    if (this.anchorSub[sub] === 1 && this.dislikedScore(o, sub) < 0) reasons.push("close to an item you disliked");
    return reasons;
  }

  private likedScore(o: number, sub: number): number {
    const anchors = this.likedBySub[sub]!;
    if (anchors.length === 0) return 0;
    const x = this.index.x[o]!;
    const y = this.index.y[o]!;
    let score = 0;
    for (const a of anchors) {
      const d2 = (x - a.x) * (x - a.x) + (y - a.y) * (y - a.y);
      if (d2 < LIKED_RADIUS * LIKED_RADIUS) score += 1.2 * (1 - Math.sqrt(d2) / LIKED_RADIUS);
    }
    return Math.min(score, 3);
  }

  private dislikedScore(o: number, sub: number): number {
    const anchors = this.dislikedBySub[sub]!;
    if (anchors.length === 0) return 0;
    const x = this.index.x[o]!;
    const y = this.index.y[o]!;
    let score = 0;
    for (const a of anchors) {
      if (a.o === o) score -= 4;
      else {
        const d2 = (x - a.x) * (x - a.x) + (y - a.y) * (y - a.y);
        if (d2 < DISLIKED_RADIUS * DISLIKED_RADIUS) score -= 2 * (1 - Math.sqrt(d2) / DISLIKED_RADIUS);
      }
    }
    return score;
  }
}

function personalScorer(index: CatalogIndex, person: Person | null): PersonalScorer | null {
  if (!person) return null;
  if (!person.styleTags.length && !person.liked.length && !person.disliked.length && !Object.keys(person.sizes).length) return null;
  return new PersonalRanker(index, person);
}

function explain(clauses: ParsedQuery["clauses"], bits: number, personal: string[]): string {
  const labels = [...new Set(clauses.filter((_, c) => bits & (1 << c)).map((c) => c.label))];
  return [labels.length ? `matched: ${labels.join(" ")}` : "", ...personal].filter(Boolean).join("; ") || "in the catalog";
}

function facetsOf(index: CatalogIndex, candidates: Int32Array): Facets {
  const department = new Map<number, number>();
  const category = new Map<number, number>();
  const color = new Map<number, number>();
  const size = new Map<string, number>();
  const band = new Array<number>(PRICE_BANDS.length).fill(0);
  const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const o of candidates) {
    bump(department, index.department[o]!);
    bump(category, index.category[o]!);
    for (const c of index.colors[o]!) bump(color, c);
    for (const s of index.sizes[o]!) bump(size, s);
    const price = index.price[o]!;
    band[PRICE_BANDS.findIndex((b) => price <= b.max)]!++;
  }
  const top = <K>(map: Map<K, number>, name: (k: K) => string, limit: number) =>
    [...map.entries()]
      .map(([k, count]) => ({ value: name(k), count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, limit);
  return {
    department: top(department, (k) => index.departments.values[k]!, 10),
    category: top(category, (k) => index.categories.values[k]!, 20),
    color: top(color, (k) => index.colorNames.values[k]!, 30),
    priceBand: PRICE_BANDS.map((b, i) => ({ value: b.label, count: band[i]! })).filter((b) => b.count > 0),
    size: top(size, (k) => k, 40),
  };
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The best `k` by (match desc, personal desc, ordinal asc), in a binary heap whose root is the worst kept. */
class TopK {
  private size = 0;
  private readonly o: Int32Array;
  private readonly match: Float64Array;
  private readonly personal: Float64Array;
  /** Which clauses each kept item matched (for its "why"). */
  private readonly bits: Uint32Array;
  constructor(private readonly k: number) {
    this.o = new Int32Array(k);
    this.match = new Float64Array(k);
    this.personal = new Float64Array(k);
    this.bits = new Uint32Array(k);
  }

  /** The lowest match score still kept once full: anything below cannot get in. */
  floor(): number {
    return this.size < this.k ? -Infinity : this.match[0]!;
  }

  /** The personal score and the ordinal of the worst result kept (meaningful once full, when `floor` is finite). */
  worstPersonal(): number {
    return this.personal[0]!;
  }

  worstOrdinal(): number {
    return this.o[0]!;
  }

  offer(o: number, match: number, personal: number, bits = 0) {
    if (this.size < this.k) {
      this.set(this.size, o, match, personal, bits);
      this.up(this.size++);
    } else if (this.k > 0 && this.beats(o, match, personal, 0)) {
      this.set(0, o, match, personal, bits);
      this.down(0);
    }
  }

  sortedEntries(): Array<{ o: number; bits: number }> {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => (this.beats(this.o[a]!, this.match[a]!, this.personal[a]!, b) ? -1 : 1));
    return order.map((i) => ({ o: this.o[i]!, bits: this.bits[i]! }));
  }

  private beats(o: number, match: number, personal: number, j: number): boolean {
    if (match !== this.match[j]) return match > this.match[j]!;
    if (personal !== this.personal[j]) return personal > this.personal[j]!;
    return o < this.o[j]!;
  }

  private better(i: number, j: number): boolean {
    return this.beats(this.o[i]!, this.match[i]!, this.personal[i]!, j);
  }

  private set(i: number, o: number, match: number, personal: number, bits: number) {
    this.o[i] = o;
    this.match[i] = match;
    this.personal[i] = personal;
    this.bits[i] = bits;
  }

  private swap(i: number, j: number) {
    const o = this.o[i]!;
    const m = this.match[i]!;
    const p = this.personal[i]!;
    const b = this.bits[i]!;
    this.set(i, this.o[j]!, this.match[j]!, this.personal[j]!, this.bits[j]!);
    this.set(j, o, m, p, b);
  }

  private up(i: number) {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.better(parent, i)) break;
      this.swap(parent, i);
      i = parent;
    }
  }

  private down(i: number) {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < this.size && this.better(worst, l)) worst = l;
      if (r < this.size && this.better(worst, r)) worst = r;
      if (worst === i) return;
      this.swap(worst, i);
      i = worst;
    }
  }
}
