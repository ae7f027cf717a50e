import sharp from "sharp";
import { renderProductSvg, silhouetteFor } from "../catalog/product-image";
import type { Keypoint } from "../photos/pose";

/**
 * Try-on rendering behind one interface, so that a GPU diffusion renderer can replace the in-house one
 * without the jobs knowing: a photo with its pose keypoints and the garments in, one JPEG out.
 */
export interface Renderer {
  readonly name: string;
  render(input: RenderInput): Promise<{ jpeg: Buffer; width: number; height: number }>;
}

export interface Garment {
  title: string;
  category: string;
  subcategory: string;
  colors: readonly string[];
  pattern: string;
}

export interface RenderInput {
  photo: Uint8Array;
  /** In the photo's pixels (the validation report's keypoints). */
  keypoints: Keypoint[];
  garments: Garment[];
}

export class RenderRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RenderRefused";
  }
}

/** The garments this renderer can dress a person in; the others (bags, belts, hats…) are refused by name. */
export function renderable(category: string): boolean {
  return ["tops", "bottoms", "dresses", "outerwear", "shoes", "activewear"].includes(category);
}

// ---- the body, from the keypoints ----------------------------------------------------------------

interface Pair {
  /** The joint further left in the image, and the one further right. */
  xl: number;
  xr: number;
  y: number;
}

interface Body {
  shoulders: Pair;
  hips: Pair;
  knees: Pair;
  ankles: Pair;
  /** Torso height (shoulders to hips), shoulder width, hip width, head-to-ankle height. */
  torso: number;
  shoulderW: number;
  hipW: number;
  height: number;
  headY: number;
}

function bodyOf(keypoints: Keypoint[]): Body {
  const at = (part: string) => {
    const k = keypoints.find((p) => p.part === part);
    if (!k || k.score < 0.2) throw new RenderRefused(`the photo's ${part} was not found: use an approved full-body photo`);
    return k;
  };
  const pair = (a: string, b: string): Pair => {
    const [p, q] = [at(a), at(b)].sort((m, n) => m.x - n.x);
    return { xl: p!.x, xr: q!.x, y: (p!.y + q!.y) / 2 };
  };
  const shoulders = pair("leftShoulder", "rightShoulder");
  const hips = pair("leftHip", "rightHip");
  const knees = pair("leftKnee", "rightKnee");
  const ankles = pair("leftAnkle", "rightAnkle");
  const headY = Math.min(...["nose", "leftEye", "rightEye"].map((p) => keypoints.find((k) => k.part === p)).filter((k): k is Keypoint => !!k && k.score > 0.2).map((k) => k.y), shoulders.y - 0.25 * (hips.y - shoulders.y));
  return {
    shoulders,
    hips,
    knees,
    ankles,
    torso: Math.max(1, hips.y - shoulders.y),
    shoulderW: Math.max(1, shoulders.xr - shoulders.xl),
    hipW: Math.max(1, hips.xr - hips.xl),
    height: Math.max(1, ankles.y - headY),
    headY,
  };
}

// ---- garment layouts: canvas rows (the 200 × 240 product picture) onto body rows ------------------

/** At canvas row `cy`, the canvas span [cl, cr] lands on the body's span [l, r] at image row `y`. */
interface Level {
  cy: number;
  cl: number;
  cr: number;
  y: number;
  l: number;
  r: number;
}

type Layout = (b: Body) => Level[];

const widen = (p: Pair, by: number, y = p.y) => ({ y, l: p.xl - by, r: p.xr + by });
const lerp = (a: number, b: number, t: number) => a + (b - a) * t;

function topLayout(hem: (b: Body) => number, hemWiden = 0.45): Layout {
  return (b) => [
    { cy: 30, cl: 60, cr: 140, ...widen(b.shoulders, 0.16 * b.shoulderW, b.shoulders.y - 0.1 * b.torso) },
    { cy: 85, cl: 60, cr: 140, ...widen({ xl: lerp(b.shoulders.xl, b.hips.xl, 0.3), xr: lerp(b.shoulders.xr, b.hips.xr, 0.3), y: 0 }, 0.2 * b.shoulderW, b.shoulders.y + 0.3 * b.torso) },
    { cy: 205, cl: 60, cr: 140, ...widen(b.hips, hemWiden * b.hipW, hem(b)) },
  ];
}

const LAYOUTS: Record<string, Layout> = {
  tee: topLayout((b) => b.hips.y + 0.12 * (b.knees.y - b.hips.y)),
  shirt: topLayout((b) => b.hips.y + 0.15 * (b.knees.y - b.hips.y)),
  sweater: topLayout((b) => b.hips.y + 0.12 * (b.knees.y - b.hips.y)),
  hoodie: topLayout((b) => b.hips.y + 0.15 * (b.knees.y - b.hips.y)),
  jacket: topLayout((b) => b.hips.y + 0.28 * (b.knees.y - b.hips.y), 0.55),
  coat: topLayout((b) => b.knees.y + 0.12 * (b.ankles.y - b.knees.y), 0.75),
  trousers: (b) => [
    { cy: 30, cl: 65, cr: 135, ...widen(b.hips, 0.42 * b.hipW, b.hips.y - 0.1 * b.torso) },
    { cy: 150, cl: 60, cr: 140, ...widen(b.knees, 0.45 * b.hipW) },
    { cy: 215, cl: 55, cr: 145, ...widen(b.ankles, 0.38 * b.hipW, b.ankles.y + 0.01 * b.height) },
  ],
  shorts: (b) => [
    { cy: 50, cl: 62, cr: 138, ...widen(b.hips, 0.42 * b.hipW, b.hips.y - 0.1 * b.torso) },
    { cy: 150, cl: 52, cr: 148, ...widen({ xl: lerp(b.hips.xl, b.knees.xl, 0.55), xr: lerp(b.hips.xr, b.knees.xr, 0.55), y: 0 }, 0.55 * b.hipW, lerp(b.hips.y, b.knees.y, 0.55)) },
  ],
  skirt: (b) => [
    { cy: 40, cl: 72, cr: 128, ...widen(b.hips, 0.35 * b.hipW, b.hips.y - 0.15 * b.torso) },
    { cy: 195, cl: 42, cr: 158, ...widen(b.knees, 0.75 * b.hipW, b.knees.y + 0.1 * (b.ankles.y - b.knees.y)) },
  ],
  dress: (b) => [
    { cy: 25, cl: 78, cr: 122, ...widen(b.shoulders, -0.05 * b.shoulderW, b.shoulders.y - 0.04 * b.torso) },
    { cy: 85, cl: 72, cr: 128, ...widen(b.hips, 0.22 * b.hipW, b.shoulders.y + 0.62 * b.torso) },
    { cy: 210, cl: 40, cr: 160, ...widen(b.knees, 0.8 * b.hipW, b.knees.y + 0.12 * (b.ankles.y - b.knees.y)) },
  ],
  maxi: (b) => [
    { cy: 20, cl: 80, cr: 120, ...widen(b.shoulders, -0.05 * b.shoulderW, b.shoulders.y - 0.04 * b.torso) },
    { cy: 80, cl: 74, cr: 126, ...widen(b.hips, 0.22 * b.hipW, b.shoulders.y + 0.62 * b.torso) },
    { cy: 225, cl: 50, cr: 150, ...widen(b.ankles, 0.8 * b.hipW, b.ankles.y + 0.01 * b.height) },
  ],
};

/** Drawing order: shoes, tucked shirts, bottoms, other tops and dresses, outerwear last. */
function layerOf(category: string, family: string): number {
  if (category === "shoes") return 0;
  if (family === "shirt") return 1;
  if (category === "bottoms") return 2;
  if (category === "outerwear") return 5;
  return 3;
}

// ---- pixels --------------------------------------------------------------------------------------

interface Rgba {
  data: Buffer;
  width: number;
  height: number;
}

async function garmentPixels(g: Garment, scale = 2): Promise<Rgba> {
  const svg = renderProductSvg(g, { background: false });
  const { data, info } = await sharp(Buffer.from(svg), { density: 72 * scale })
    .resize(200 * scale, 240 * scale)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Bilinear sample of the garment at canvas coordinates (cx, cy in 0..200, 0..240); alpha premultiplied out. */
function sample(g: Rgba, cx: number, cy: number, out: Float64Array): void {
  const s = g.width / 200;
  const x = cx * s - 0.5;
  const y = cy * s - 0.5;
  const x0 = Math.max(0, Math.min(g.width - 2, Math.floor(x)));
  const y0 = Math.max(0, Math.min(g.height - 2, Math.floor(y)));
  const fx = Math.min(1, Math.max(0, x - x0));
  const fy = Math.min(1, Math.max(0, y - y0));
  out.fill(0);
  for (let j = 0; j < 2; j++)
    for (let i = 0; i < 2; i++) {
      const w = (i ? fx : 1 - fx) * (j ? fy : 1 - fy);
      const o = ((y0 + j) * g.width + x0 + i) * 4;
      const a = (g.data[o + 3]! / 255) * w;
      out[0]! += g.data[o]! * a;
      out[1]! += g.data[o + 1]! * a;
      out[2]! += g.data[o + 2]! * a;
      out[3]! += a;
    }
}

/**
 * Warps the garment onto the photo band by band (piecewise affine between the layout's levels, each
 * band a linear map of rows and of spans) and composites it with the photo's own light: the garment's
 * colour is multiplied by the photo's local brightness relative to the area's mean, so folds, shadows
 * and the body's shape show through instead of a flat sticker.
 */
function warpOnto(photo: Rgba, luma: Float32Array, meanLuma: number, g: Rgba, levels: Level[]): void {
  // Extrapolate the first and last bands out to the canvas's edges (rows 0 and 240).
  const ext = (a: Level, b: Level, cy: number): Level => {
    const t = (cy - a.cy) / (b.cy - a.cy);
    return { cy, cl: lerp(a.cl, b.cl, t), cr: lerp(a.cr, b.cr, t), y: lerp(a.y, b.y, t), l: lerp(a.l, b.l, t), r: lerp(a.r, b.r, t) };
  };
  const all = [ext(levels[0]!, levels[1]!, 0), ...levels, ext(levels[levels.length - 2]!, levels[levels.length - 1]!, 240)];
  const px = new Float64Array(4);
  const { width, height, data } = photo;
  for (let k = 0; k + 1 < all.length; k++) {
    const a = all[k]!;
    const b = all[k + 1]!;
    if (b.y <= a.y) continue;
    const y0 = Math.max(0, Math.ceil(a.y));
    const y1 = Math.min(height - 1, Math.floor(b.y));
    for (let y = y0; y <= y1; y++) {
      const t = (y - a.y) / (b.y - a.y);
      const cy = lerp(a.cy, b.cy, t);
      const l = lerp(a.l, b.l, t);
      const r = lerp(a.r, b.r, t);
      const cl = lerp(a.cl, b.cl, t);
      const cr = lerp(a.cr, b.cr, t);
      const perPixel = (cr - cl) / Math.max(1e-6, r - l);
      const xStart = Math.max(0, Math.floor(l - cl / perPixel));
      const xEnd = Math.min(width - 1, Math.ceil(l + (200 - cl) / perPixel));
      for (let x = xStart; x <= xEnd; x++) {
        const cx = cl + (x - l) * perPixel;
        if (cx < 0 || cx >= 200 || cy < 0 || cy >= 240) continue;
        sample(g, cx, cy, px);
        const alpha = px[3]!;
        if (alpha < 0.01) continue;
        const shade = Math.min(1.12, Math.max(0.8, 0.7 + 0.3 * (luma[y * width + x]! / meanLuma)));
        const o = (y * width + x) * 3;
        const a = Math.min(1, alpha) * 0.97;
        for (let c = 0; c < 3; c++) data[o + c] = Math.round(data[o + c]! * (1 - a) + Math.min(255, (px[c]! / alpha) * shade) * a);
      }
    }
  }
}

/** Shoes: one per ankle, the picture squashed to a front view and set with its top at the ankle. */
function shoeLevels(b: Body, side: "l" | "r"): Level[] {
  const x = side === "l" ? b.ankles.xl : b.ankles.xr;
  const foot = 0.13 * b.height;
  const top = b.ankles.y - 0.35 * foot;
  const bottom = b.ankles.y + 0.45 * foot;
  const half = 0.42 * foot;
  return [
    { cy: 100, cl: 30, cr: 175, y: top, l: x - half, r: x + half },
    { cy: 170, cl: 30, cr: 175, y: bottom, l: x - half * 1.1, r: x + half * 1.1 },
  ];
}

/** The in-house renderer: keypoint anchors, piecewise-affine warps, the photo's light, layer order. */
export class WarpRenderer implements Renderer {
  readonly name = "warp-v1";
  /** Longest side of a render: enough for a phone screen, fast on a CPU. */
  constructor(private readonly maxSide = 1280) {}

  async render(input: RenderInput): Promise<{ jpeg: Buffer; width: number; height: number }> {
    for (const g of input.garments) if (!renderable(g.category)) throw new RenderRefused(`${g.title} (${g.category}) cannot be rendered on a photo yet`);
    const meta = await sharp(input.photo).metadata();
    const scale = Math.min(1, this.maxSide / Math.max(meta.width ?? 1, meta.height ?? 1));
    const { data, info } = await sharp(input.photo)
      .resize(Math.round((meta.width ?? 1) * scale), Math.round((meta.height ?? 1) * scale))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const photo: Rgba = { data, width: info.width, height: info.height };
    const body = bodyOf(input.keypoints.map((k) => ({ ...k, x: k.x * scale, y: k.y * scale })));

    // The photo's light, blurred so that fabric takes the body's shading but not the background's texture.
    const grey = await sharp(data, { raw: { width: photo.width, height: photo.height, channels: 3 } }).greyscale().blur(4).raw().toBuffer();
    const luma = Float32Array.from(grey);
    let sum = 0;
    let n = 0;
    const x0 = Math.max(0, Math.floor(body.shoulders.xl));
    const x1 = Math.min(photo.width - 1, Math.ceil(body.shoulders.xr));
    for (let y = Math.max(0, Math.floor(body.shoulders.y)); y <= Math.min(photo.height - 1, body.ankles.y); y++)
      for (let x = x0; x <= x1; x++) {
        sum += luma[y * photo.width + x]!;
        n++;
      }
    const meanLuma = Math.max(1, sum / Math.max(1, n));

    const ordered = input.garments
      .map((g) => ({ g, family: silhouetteFor(g.category, g.subcategory) }))
      .sort((p, q) => layerOf(p.g.category, p.family) - layerOf(q.g.category, q.family));
    for (const { g, family } of ordered) {
      const pixels = await garmentPixels(g);
      if (g.category === "shoes") {
        warpOnto(photo, luma, meanLuma, pixels, shoeLevels(body, "l"));
        warpOnto(photo, luma, meanLuma, pixels, shoeLevels(body, "r"));
        continue;
      }
      const layout = LAYOUTS[family] ?? (g.category === "bottoms" ? LAYOUTS.trousers! : g.category === "dresses" ? LAYOUTS.dress! : LAYOUTS.tee!);
      warpOnto(photo, luma, meanLuma, pixels, layout(body));
    }
    const jpeg = await sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: 3 } }).jpeg({ quality: 86 }).toBuffer();
    return { jpeg, width: photo.width, height: photo.height };
  }
}
