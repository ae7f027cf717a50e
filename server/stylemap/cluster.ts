import { normalizeSize } from "../checkout/basket";
import type { StyleMapIndex } from "./map-index";
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
export interface MapFilters {
  categories?: string[];
  brands?: string[];
  departments?: string[];
  colors?: string[];
  sizes?: string[];
  minPriceMinor?: number;
  maxPriceMinor?: number;
}

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
  /** Index positions of the items shown on their own, in Z-order. */
  singles: number[];
  omitted: number;
}

const REPRESENTATIVE_SAMPLE = 256;
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

  const cells = new Map<number, Cell>();
  const answer: MapAnswer = { viewport, level, total: 0, clusters: [], singles: [], omitted: 0 };
  const scanRun = (a: number, b: number, cx: number, cy: number) => {
    const cell = scanCell(map, filter, a, b, everyItemAlone ? answer : null, query.limit);
    if (cell.count === 0) return;
    cell.a = a;
    cell.b = b;
    cells.set(cx * 65536 + cy, cell);
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

  // Items added since the index was sorted: few, scanned one by one into their cells.
  const shift = LEVELS - level;
  for (let i = map.sorted; i < map.length; i++) {
    if (!map.alive[i] || !filter.passes(i)) continue;
    const cx = quantize(map.x[i]!) >> shift;
    const cy = quantize(map.y[i]!) >> shift;
    if (cx < cx0 || cx > cx1 || cy < cy0 || cy > cy1) continue;
    const key = cx * 65536 + cy;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = emptyCell()));
    addTo(map, cell, i);
    if (everyItemAlone) pushSingle(answer, i, query.limit);
  }

  const categories = map.catalog.categories.values;
  const colors = map.catalog.colorNames.values;
  for (const [key, cell] of cells) {
    answer.total += cell.count;
    if (everyItemAlone) continue;
    if (cell.count < MIN_CLUSTER_SIZE) {
      pushSingle(answer, cell.last, query.limit);
      continue;
    }
    const x = cell.sx / cell.count;
    const y = cell.sy / cell.count;
    answer.clusters.push({
      id: `${level}:${Math.floor(key / 65536)}:${key % 65536}`,
      count: cell.count,
      x,
      y,
      bounds: { xmin: cell.minx, xmax: cell.maxx, ymin: cell.miny, ymax: cell.maxy },
      minPriceMinor: cell.minPrice,
      maxPriceMinor: cell.maxPrice,
      representative: nearest(map, filter, cell, x, y),
      topCategories: top(cell.categories, categories),
      topColors: top(cell.colors, colors),
      expansionZoom: expansionZoom(query.zoom, cell),
    });
  }
  answer.clusters.sort((p, q) => q.count - p.count || (p.id < q.id ? -1 : 1));
  return answer;
}

// ---- filters -------------------------------------------------------------------------------------

export interface CompiledFilter {
  passes(i: number): boolean;
  readonly isOpen: boolean;
}

/** Names to codes once per query; the per-item test is then array reads and bit tests. */
export function compileFilter(map: StyleMapIndex, filters: MapFilters): CompiledFilter {
  const c = map.catalog;
  const codeSet = (values: readonly string[], wanted: readonly string[] | undefined): Uint8Array | null => {
    if (!wanted?.length) return null;
    const want = new Set(wanted.map((w) => w.trim().toLowerCase()));
    const ok = new Uint8Array(Math.max(1, values.length));
    values.forEach((v, code) => (ok[code] = want.has(v.toLowerCase()) ? 1 : 0));
    return ok;
  };
  const cat = codeSet(c.categories.values, filters.categories);
  const sub = codeSet(c.subcategories.values, filters.categories);
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
  const minPrice = filters.minPriceMinor ?? -Infinity;
  const maxPrice = filters.maxPriceMinor ?? Infinity;
  const hasPrice = filters.minPriceMinor !== undefined || filters.maxPriceMinor !== undefined;
  const wantsColor = colorOk !== null;
  const isOpen = !cat && !brand && !dept && !wantsColor && !wantsSize && !hasPrice;
  const { category, subcategory, department, price, colorBits: itemColors, sizeLo: itemLo, sizeHi: itemHi, ordinal } = map;
  const itemBrand = map.brand;
  return {
    isOpen,
    passes(i: number): boolean {
      if (isOpen) return true;
      if (hasPrice && (price[i]! < minPrice || price[i]! > maxPrice)) return false;
      if (cat && sub && !cat[category[i]!] && !sub[subcategory[i]!]) return false;
      if (brand && !brand[itemBrand[i]!]) return false;
      if (dept && !dept[department[i]!]) return false;
      if (wantsColor && (itemColors[i]! & colorBits) === 0) {
        if (!colorSlow || !(c.colors[ordinal[i]!] ?? []).some((code) => colorOk![code] === 1)) return false;
      }
      if (wantsSize && (itemLo[i]! & sizeLo) === 0 && (itemHi[i]! & sizeHi) === 0) {
        if (!sizeSlow || !(c.sizes[ordinal[i]!] ?? []).some((s) => sizeSlow!.has(s))) return false;
      }
      return true;
    },
  };
}

// ---- cells ---------------------------------------------------------------------------------------

interface Cell {
  a: number;
  b: number;
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
  categories: Map<number, number>;
  colors: Map<number, number>;
}

function emptyCell(): Cell {
  return {
    a: 0,
    b: 0,
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
    categories: new Map(),
    colors: new Map(),
  };
}

// Per-category and per-colour tallies for one run, reused across cells (codes are small integers).
let categoryTally = new Int32Array(256);
let colorTally = new Int32Array(1024);

function scanCell(map: StyleMapIndex, filter: CompiledFilter, a: number, b: number, singles: MapAnswer | null, limit: number): Cell {
  const cell = emptyCell();
  const { alive, x, y, price, category, color0 } = map;
  const categoryCount = map.catalog.categories.values.length;
  const colorCount = map.catalog.colorNames.values.length;
  if (categoryTally.length < categoryCount) categoryTally = new Int32Array(categoryCount);
  if (colorTally.length < colorCount) colorTally = new Int32Array(colorCount);
  const cats = categoryTally;
  const cols = colorTally;
  let count = 0;
  let last = -1;
  let sx = 0;
  let sy = 0;
  let minx = Infinity;
  let maxx = -Infinity;
  let miny = Infinity;
  let maxy = -Infinity;
  let minP = Infinity;
  let maxP = -Infinity;
  const open = filter.isOpen;
  for (let i = a; i < b; i++) {
    if (alive[i] === 0) continue;
    if (!open && !filter.passes(i)) continue;
    const px = x[i]!;
    const py = y[i]!;
    const p = price[i]!;
    count++;
    last = i;
    sx += px;
    sy += py;
    if (px < minx) minx = px;
    if (px > maxx) maxx = px;
    if (py < miny) miny = py;
    if (py > maxy) maxy = py;
    if (p < minP) minP = p;
    if (p > maxP) maxP = p;
    cats[category[i]!]!++;
    cols[color0[i]!]!++;
    if (singles) pushSingle(singles, i, limit);
  }
  Object.assign(cell, { count, last, sx, sy, minx, maxx, miny, maxy, minPrice: minP, maxPrice: maxP });
  for (let k = 0; k < categoryCount; k++) {
    if (cats[k]! > 0) {
      cell.categories.set(k, cats[k]!);
      cats[k] = 0;
    }
  }
  for (let k = 0; k < colorCount; k++) {
    if (cols[k]! > 0) {
      cell.colors.set(k, cols[k]!);
      cols[k] = 0;
    }
  }
  return cell;
}

function addTo(map: StyleMapIndex, cell: Cell, i: number) {
  const px = map.x[i]!;
  const py = map.y[i]!;
  const p = map.price[i]!;
  cell.count++;
  cell.last = i;
  cell.sx += px;
  cell.sy += py;
  cell.minx = Math.min(cell.minx, px);
  cell.maxx = Math.max(cell.maxx, px);
  cell.miny = Math.min(cell.miny, py);
  cell.maxy = Math.max(cell.maxy, py);
  cell.minPrice = Math.min(cell.minPrice, p);
  cell.maxPrice = Math.max(cell.maxPrice, p);
  cell.categories.set(map.category[i]!, (cell.categories.get(map.category[i]!) ?? 0) + 1);
  cell.colors.set(map.color0[i]!, (cell.colors.get(map.color0[i]!) ?? 0) + 1);
}

function pushSingle(answer: MapAnswer, i: number, limit: number) {
  if (answer.singles.length < limit) answer.singles.push(i);
  else answer.omitted++;
}

/** The member nearest the centroid, among an even sample of the run (bounded work for huge cells). */
function nearest(map: StyleMapIndex, filter: CompiledFilter, cell: Cell, cx: number, cy: number): number {
  let best = cell.last;
  let bestDistance = Infinity;
  const step = Math.max(1, Math.floor((cell.b - cell.a) / REPRESENTATIVE_SAMPLE));
  for (let i = cell.a; i < cell.b; i += step) {
    if (!map.alive[i] || !filter.passes(i)) continue;
    const d = (map.x[i]! - cx) ** 2 + (map.y[i]! - cy) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}

function top(tally: Map<number, number>, names: readonly string[]): Facet[] {
  return [...tally]
    .sort((p, q) => q[1] - p[1] || p[0] - q[0])
    .slice(0, TOP)
    .map(([code, count]) => ({ value: names[code] ?? "other", count }));
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
