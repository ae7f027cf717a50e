import { STYLE_WHEEL } from "@/db/seed/vocabulary";
import { styleAnchor } from "@/db/seed/style-space";

/**
 * The style map's geometry. Positions are in style units (db/seed/style-space.ts places items within
 * about ±140). Zoom follows Leaflet's `CRS.Simple`: at zoom z one unit is 2^z pixels, so the whole
 * catalog fits about 280 px at zoom 0.
 *
 * Clusters are the cells of a quadtree over the world square: at zoom z a cell is CELL_PX pixels wide
 * (quadtree level z + 3). A cell is a property of the zoom alone, so panning never reshuffles clusters
 * and a filter only changes which members each cell counts.
 */
export const WORLD_MIN = -256;
export const WORLD_SIZE = 512;
export const WORLD_MAX = WORLD_MIN + WORLD_SIZE;
/** Quantisation of positions for the quadtree: 16 bits per axis. */
export const LEVELS = 16;
export const CELL_PX = 64;
export const MIN_ZOOM = -3;
export const MAX_ZOOM = 16;
/** Beyond this zoom every item is shown on its own (cells would be under 0.01 units). */
export const MAX_CLUSTER_ZOOM = 12;
/** The widest viewport served, in pixels at its zoom; wider requests are narrowed around their centre. */
export const MAX_VIEW_PX = 2048;
/** A cell with at least this many items (under the filters) is a cluster; fewer are listed as items. */
export const MIN_CLUSTER_SIZE = 2;

export interface Viewport {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
}

export const WORLD: Viewport = { xmin: WORLD_MIN, xmax: WORLD_MAX, ymin: WORLD_MIN, ymax: WORLD_MAX };

/** The quadtree level whose cells are this zoom's clusters (LEVELS: items on their own). */
export function levelForZoom(zoom: number): number {
  const z = Math.floor(zoom);
  if (z > MAX_CLUSTER_ZOOM) return LEVELS;
  return Math.max(0, Math.min(LEVELS, z + 3));
}

export function cellSize(level: number): number {
  return WORLD_SIZE / 2 ** level;
}

/** A coordinate's 16-bit quadtree position (clamped into the world). */
export function quantize(v: number): number {
  const q = Math.floor(((v - WORLD_MIN) / WORLD_SIZE) * 65536);
  return q < 0 ? 0 : q > 65535 ? 65535 : q;
}

/** Interleaves two 16-bit values into a 32-bit Morton (Z-order) code: x on even bits, y on odd. */
export function morton(qx: number, qy: number): number {
  return (spread(qx) | (spread(qy) << 1)) >>> 0;
}

function spread(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

/**
 * The viewport served for a request: narrowed around its centre to at most MAX_VIEW_PX at this zoom,
 * clipped to the world, then widened out to whole cells of the zoom's level, so that every cluster it
 * shows is complete (its count does not depend on where the view's edge falls). Null when it misses
 * the world entirely.
 */
export function servedViewport(requested: Viewport, zoom: number): { viewport: Viewport; level: number } | null {
  const level = levelForZoom(zoom);
  const maxSpan = MAX_VIEW_PX / 2 ** Math.floor(zoom);
  const narrow = (lo: number, hi: number): [number, number] => {
    if (hi - lo <= maxSpan) return [lo, hi];
    const mid = (lo + hi) / 2;
    return [mid - maxSpan / 2, mid + maxSpan / 2];
  };
  let [xmin, xmax] = narrow(requested.xmin, requested.xmax);
  let [ymin, ymax] = narrow(requested.ymin, requested.ymax);
  xmin = Math.max(xmin, WORLD_MIN);
  ymin = Math.max(ymin, WORLD_MIN);
  xmax = Math.min(xmax, WORLD_MAX);
  ymax = Math.min(ymax, WORLD_MAX);
  if (xmin >= xmax || ymin >= ymax) return null;
  const size = cellSize(level);
  const snapDown = (v: number) => WORLD_MIN + Math.floor((v - WORLD_MIN) / size) * size;
  const snapUp = (v: number) => Math.min(WORLD_MAX, WORLD_MIN + Math.ceil((v - WORLD_MIN) / size) * size);
  return { viewport: { xmin: snapDown(xmin), xmax: snapUp(xmax), ymin: snapDown(ymin), ymax: snapUp(ymax) }, level };
}

/**
 * What the directions mean, for the map's legend: the style wheel's tags at their anchors (the map is
 * a wheel: neighbouring tags are related styles) and the formality drift (dressier items sit higher).
 */
export const AXES = {
  x: { negative: "sporty, casual, streetwear", positive: "classic, preppy, workwear" },
  y: { negative: "edgy, avant-garde, minimalist; more relaxed", positive: "romantic, bohemian, vintage; dressier" },
  method:
    "Each item sits at the weighted mean of its style tags' anchors on a wheel of twelve styles (related styles " +
    "side by side), pushed out to 70% of the wheel's radius; dressier items move up 8 units per formality step " +
    "above smart-casual; each category takes a small offset so tops, shoes and coats form sub-clusters.",
} as const;

export function styleLandmarks(): Array<{ label: string; x: number; y: number }> {
  return STYLE_WHEEL.map((tag) => {
    const anchor = styleAnchor(tag);
    const scale = 1.5;
    return { label: tag, x: round(anchor.x * scale), y: round(anchor.y * scale) };
  });
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
