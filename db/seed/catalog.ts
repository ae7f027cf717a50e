import { deriveAttributes, WOMENSWEAR, type Department } from "@/server/catalog/attributes";
import { buildSearchText } from "@/server/catalog/search-text";
import type { Db } from "../client";
import { catalogLoaded, upsertProducts, type NewProduct } from "../repos/catalog";
import { rng } from "./random";
import { stylePosition } from "./style-space";
import {
  ADJECTIVES,
  APPAREL_SIZES,
  BRANDS,
  CATEGORIES,
  COLORS,
  PATTERNS,
  SEASONS,
  SHOE_SIZES,
  STYLE_WHEEL,
  TIER_MULTIPLIER,
  WAIST_SIZES,
  type Subcategory,
} from "./vocabulary";

const SUBCATEGORIES = CATEGORIES.flatMap((category, categoryIndex) =>
  category.subcategories.map((sub) => ({ category, categoryIndex, sub })),
);

/**
 * Product number `index` of the generated catalog. Each item depends only on its index, so a catalog of
 * 1,000,000 starts with the same 5,000 items as the default one.
 */
export function generateProduct(index: number): NewProduct {
  const r = rng(index * 7919 + 17);
  const { category, categoryIndex, sub } = r.pick(SUBCATEGORIES);
  const brand = r.pick(BRANDS);
  const primaryStyle = r.chance(0.7) ? r.pick(brand.styles) : r.pick(STYLE_WHEEL);
  const styleTags = [primaryStyle, ...neighbourStyles(primaryStyle, r)];
  const color = r.pick(COLORS);
  const colors = r.chance(0.25) ? [color.name, r.pick(COLORS).name].filter(unique) : [color.name];
  const material = r.pick(sub.materials);
  const pattern = r.chance(0.6) ? "solid" : r.pick(PATTERNS);
  const formality = clamp(sub.formality + (r.chance(0.3) ? r.int(-1, 1) : 0), 1, 5);
  const seasons = seasonsFor(sub.slug, material, r);
  // Drawn from every adjective (the draws after it stay as they were), but "Wide-Leg" only names bottoms:
  // a "Wide-Leg Sports Bra" was found by a search for wide-leg fits.
  const drawn = r.pick(ADJECTIVES);
  const adjective = drawn === "Wide-Leg" && category.slug !== "bottoms" ? "Relaxed" : drawn;
  const patternWord = pattern === "solid" ? "" : `${titleCase(pattern)} `;
  // Attributes added later draw from a second stream, so the items' earlier attributes stay as they were.
  const r2 = rng(index * 104_729 + 3);
  const department = departmentFor(sub.slug, category.slug, r2);
  const lengthWord = sub.slug === "skirts" ? `${r2.pick(["Mini", "Knee-Length", "Midi", "Maxi"])} ` : "";
  const title = `${adjective} ${patternWord}${titleCase(color.name)} ${titleCase(material)} ${lengthWord}${sub.noun}`.replace(/\s+/g, " ");
  const price = sub.basePrice * TIER_MULTIPLIER[brand.tier] * (0.8 + r.next() * 0.5);
  const priceMinor = Math.round(price) * 100 - (r.chance(0.5) ? 1 : 0);
  const fields = {
    title,
    brand: brand.name,
    category: category.slug,
    subcategory: sub.slug,
    colors,
    materials: [material],
    pattern,
    styleTags,
    seasons,
  };
  return {
    id: `prd_${index.toString(36).padStart(6, "0")}`,
    source: "generated",
    externalId: `gen-${index}`,
    ...fields,
    brandTier: brand.tier,
    department,
    ...deriveAttributes({ ...fields, formality }),
    description: describe({ ...fields, noun: sub.noun, formality, brandTier: brand.tier, department }),
    formality,
    sizesInStock: sizesFor(sub, r),
    priceMinor,
    currency: "USD",
    imageUrl: null,
    productUrl: null,
    position: stylePosition({
      styleTags,
      formality,
      categoryIndex,
      categoryCount: CATEGORIES.length,
      gaussian: r.gaussian,
    }),
    searchText: buildSearchText(fields),
  };
}

export async function seedCatalog(
  db: Db,
  options: { count: number; start?: number; batchSize?: number; onProgress?: (done: number) => void },
): Promise<void> {
  const start = options.start ?? 0;
  const batchSize = options.batchSize ?? 1000;
  for (let offset = start; offset < start + options.count; offset += batchSize) {
    const end = Math.min(start + options.count, offset + batchSize);
    const batch: NewProduct[] = [];
    for (let i = offset; i < end; i++) batch.push(generateProduct(i));
    await upsertProducts(db, batch);
    options.onProgress?.(end - start);
  }
  await catalogLoaded(db);
}

/** Dresses, skirts, blouses and heels are womenswear; the rest splits between women, men and unisex. */
function departmentFor(subcategory: string, category: string, r: ReturnType<typeof rng>): Department {
  if (WOMENSWEAR.has(subcategory)) return "women";
  const roll = r.next();
  if (category === "accessories") return roll < 0.5 ? "unisex" : roll < 0.8 ? "women" : "men";
  if (subcategory === "leggings") return roll < 0.85 ? "women" : "unisex";
  return roll < 0.45 ? "women" : roll < 0.85 ? "men" : "unisex";
}

function neighbourStyles(primary: string, r: ReturnType<typeof rng>): string[] {
  const i = STYLE_WHEEL.indexOf(primary);
  const extra: string[] = [];
  if (r.chance(0.6)) extra.push(STYLE_WHEEL[(i + (r.chance(0.5) ? 1 : STYLE_WHEEL.length - 1)) % STYLE_WHEEL.length]!);
  if (r.chance(0.2)) extra.push(r.pick(STYLE_WHEEL));
  return extra.filter((tag) => tag !== primary).filter(unique);
}

/**
 * Pieces made for one kind of weather whatever their fabric: nobody wears shorts or sandals in winter,
 * or a parka in summer. Light layers are not winter outerwear either: a planner that must put a coat on
 * every winter outfit (server/planning/rules.ts) chose a polyester track jacket over a T-shirt for
 * December when the fabric draw had given it winter, and a trench coat is the mid-season coat.
 */
export const SUBCATEGORY_SEASONS: Readonly<Record<string, readonly string[]>> = {
  shorts: ["spring", "summer"],
  "running-shorts": ["spring", "summer"],
  sandals: ["spring", "summer"],
  coats: ["autumn", "winter"],
  parkas: ["autumn", "winter"],
  boots: ["spring", "autumn", "winter"],
  "track-jackets": ["spring", "summer", "autumn"],
  "trench-coats": ["spring", "autumn"],
  // A sports bra is an outfit's top only in warm weather: in a December capsule it came out as the top
  // under a parka in four of six weekend outfits.
  "sports-bras": ["spring", "summer"],
};

function seasonsFor(subcategory: string, material: string, r: ReturnType<typeof rng>): string[] {
  // The fabric's seasons, drawn as before (so every other attribute keeps its draw), then kept to the
  // piece's own seasons.
  const byMaterial = materialSeasons(material, r);
  const own = SUBCATEGORY_SEASONS[subcategory];
  if (!own) return byMaterial;
  const both = byMaterial.filter((season) => own.includes(season));
  return both.length > 0 ? both : [...own];
}

function materialSeasons(material: string, r: ReturnType<typeof rng>): string[] {
  if (/wool|cashmere|fleece|tweed|velvet|corduroy|bouclé|felt/.test(material)) return ["autumn", "winter"];
  if (/linen|raffia|straw|chiffon/.test(material)) return ["spring", "summer"];
  if (r.chance(0.5)) return [...SEASONS];
  const dropped = r.int(0, SEASONS.length - 1);
  return SEASONS.filter((_, i) => i !== dropped);
}

function sizesFor(sub: Subcategory, r: ReturnType<typeof rng>): string[] {
  const scale =
    sub.sizes === "apparel" ? APPAREL_SIZES : sub.sizes === "waist" ? WAIST_SIZES : sub.sizes === "shoes" ? SHOE_SIZES : null;
  if (!scale) return ["One Size"];
  const inStock = scale.filter(() => r.chance(0.75));
  return inStock.length > 0 ? inStock : [scale[Math.floor(scale.length / 2)]!];
}

function describe(p: {
  title: string;
  noun: string;
  brand: string;
  brandTier: string;
  materials: string[];
  colors: string[];
  pattern: string;
  styleTags: string[];
  seasons: string[];
  formality: number;
  department: Department;
}): string {
  const occasion = ["lounging at home", "weekends", "the office", "dinners out", "formal evenings"][p.formality - 1];
  const look = p.pattern === "solid" ? `in ${p.colors.join(" and ")}` : `in a ${p.colors.join(" and ")} ${p.pattern} pattern`;
  const forWhom = { women: "women's ", men: "men's ", unisex: "unisex ", kids: "kids' " }[p.department];
  return (
    `A ${p.styleTags.join(", ")} ${forWhom}${p.noun.toLowerCase()} by ${p.brand}, made of ${p.materials.join(", ")} ${look}. ` +
    `Made for ${occasion}; best in ${p.seasons.join(", ")}.`
  );
}

function titleCase(s: string): string {
  return s.replace(/(^|[\s-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

function unique<T>(value: T, index: number, all: T[]): boolean {
  return all.indexOf(value) === index;
}
