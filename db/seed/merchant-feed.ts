import { createHash } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import { XMLParser } from "fast-xml-parser";
import { deriveAttributes, departmentFromFeed, WOMENSWEAR } from "@/server/catalog/attributes";
import { buildSearchText } from "@/server/catalog/search-text";
import type { NewProduct } from "../repos/catalog";
import { rng } from "./random";
import { stylePosition } from "./style-space";
import { CATEGORIES, TIER_MULTIPLIER, type BrandTier, type Subcategory } from "./vocabulary";

/**
 * Reads a retailer's product feed in Google Merchant Center format (the XML RSS 2.0 feed with the `g:`
 * namespace, or the tab- or comma-separated file) into catalog products. Variants sharing an
 * item_group_id become one product whose sizes in stock are the in-stock variants' sizes.
 */
export interface FeedImport {
  products: NewProduct[];
  skipped: Array<{ id: string; reason: string }>;
}

type FeedRow = Record<string, string>;

export function parseMerchantFeed(text: string): FeedImport {
  const rows = /^\s*(<\?xml|<rss|<feed)/.test(text) ? parseXml(text) : parseDelimited(text);
  const groups = new Map<string, FeedRow[]>();
  const skipped: FeedImport["skipped"] = [];
  for (const row of rows) {
    const id = row.item_group_id || row.id;
    if (!id) {
      skipped.push({ id: "(none)", reason: "no id" });
      continue;
    }
    groups.set(id, [...(groups.get(id) ?? []), row]);
  }
  const products: NewProduct[] = [];
  for (const [groupId, variants] of groups) {
    const result = toProduct(groupId, variants);
    if ("reason" in result) skipped.push({ id: groupId, reason: result.reason });
    else products.push(result);
  }
  return { products, skipped };
}

function parseXml(text: string): FeedRow[] {
  const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true });
  const doc = parser.parse(text) as { rss?: { channel?: { item?: unknown } }; feed?: { entry?: unknown } };
  const items = doc.rss?.channel?.item ?? doc.feed?.entry ?? [];
  return (Array.isArray(items) ? items : [items]).map((item) => {
    const row: FeedRow = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      row[key.toLowerCase()] = Array.isArray(value) ? value.map(String).join(",") : String(value ?? "");
    }
    return row;
  });
}

function parseDelimited(text: string): FeedRow[] {
  const firstLine = text.slice(0, text.indexOf("\n") === -1 ? undefined : text.indexOf("\n"));
  const records = parseCsv(text, {
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/^g:/, "")),
    delimiter: firstLine.includes("\t") ? "\t" : ",",
    relax_quotes: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
  }) as FeedRow[];
  return records;
}

const SUBCATEGORY_KEYWORDS: Array<[RegExp, string]> = [
  [/\b(t-?shirts?|tees?)\b/i, "tshirts"],
  [/\bpolo/i, "polos"],
  [/\bhood(ie|y)/i, "hoodies"],
  [/\b(sweaters?|jumpers?|cardigans?|knitwear|pullovers?)\b/i, "sweaters"],
  [/\bblouses?\b/i, "blouses"],
  [/\bshirt dress/i, "shirt-dresses"],
  [/\b(gowns?|evening dress)/i, "evening-gowns"],
  [/\bmaxi/i, "maxi-dresses"],
  [/\bmini dress/i, "mini-dresses"],
  [/\bdress(es)?\b/i, "midi-dresses"],
  [/\bjeans\b/i, "jeans"],
  [/\bleggings\b/i, "leggings"],
  [/\bsports? bra/i, "sports-bras"],
  [/\btrack jacket/i, "track-jackets"],
  [/\brunning shorts/i, "running-shorts"],
  [/\b(trousers|pants|chinos)\b/i, "trousers"],
  [/\bskirts?\b/i, "skirts"],
  [/\bshorts\b/i, "shorts"],
  [/\btrench/i, "trench-coats"],
  [/\bparkas?\b/i, "parkas"],
  [/\bblazers?\b/i, "blazers"],
  [/\bcoats?\b/i, "coats"],
  [/\b(jackets?|outerwear)\b/i, "jackets"],
  [/\b(sneakers?|trainers?)\b/i, "sneakers"],
  [/\bboots?\b/i, "boots"],
  [/\bloafers?\b/i, "loafers"],
  [/\bsandals?\b/i, "sandals"],
  [/\b(heels|pumps)\b/i, "heels"],
  [/\b(bags?|handbags?|totes?|backpacks?)\b/i, "bags"],
  [/\bbelts?\b/i, "belts"],
  [/\bscar(f|ves)\b/i, "scarves"],
  [/\b(hats?|caps?|beanies?)\b/i, "hats"],
  [/\bsunglasses\b/i, "sunglasses"],
  [/\bshirts?\b/i, "shirts"],
];

const STYLE_KEYWORDS: Array<[RegExp, string]> = [
  [/\b(tailored|timeless|classic)\b/i, "classic"],
  [/\b(preppy|oxford|cable)\b/i, "preppy"],
  [/\b(lace|ruffle|floral|romantic)\b/i, "romantic"],
  [/\b(boho|bohemian|peasant|fringe)\b/i, "bohemian"],
  [/\b(vintage|retro)\b/i, "vintage"],
  [/\b(relaxed|everyday|casual)\b/i, "casual"],
  [/\b(athletic|running|training|sport)\b/i, "sporty"],
  [/\b(oversized|graphic|street)\b/i, "streetwear"],
  [/\b(studded|biker|moto|edgy)\b/i, "edgy"],
  [/\b(asymmetric|deconstructed|avant)\b/i, "avant-garde"],
  [/\b(minimal|clean|essential)\b/i, "minimalist"],
  [/\b(utility|workwear|canvas|cargo)\b/i, "workwear"],
];

const SUBCATEGORIES = new Map(
  CATEGORIES.flatMap((category, categoryIndex) => category.subcategories.map((sub) => [sub.slug, { category, categoryIndex, sub }])),
);

function toProduct(groupId: string, variants: FeedRow[]): NewProduct | { reason: string } {
  const first = variants[0]!;
  const title = first.title?.trim();
  if (!title) return { reason: "no title" };
  const price = parsePrice(first.sale_price || first.price || "");
  if (!price) return { reason: `unreadable price "${first.price ?? ""}"` };
  if (price.currency !== "USD") return { reason: `currency ${price.currency} is not USD` };
  // The most specific words first: the title names the garment, categories may name a family ("Coats & Jackets").
  const subSlug = [title, first.product_type, first.google_product_category]
    .filter((text): text is string => Boolean(text))
    .map((text) => SUBCATEGORY_KEYWORDS.find(([pattern]) => pattern.test(text))?.[1])
    .find((slug) => slug !== undefined);
  const match = subSlug ? SUBCATEGORIES.get(subSlug) : undefined;
  if (!match) return { reason: "no apparel category recognised in product_type, google_product_category or title" };
  const { category, categoryIndex, sub } = match;

  const text = `${title} ${first.description ?? ""}`;
  const styleTags = STYLE_KEYWORDS.filter(([pattern]) => pattern.test(text)).map(([, tag]) => tag);
  const colors = unique(variants.flatMap((v) => splitList(v.color ?? "")).map((c) => c.toLowerCase()));
  const inStock = variants.filter((v) => !/out[ _]of[ _]stock/i.test(v.availability ?? "in stock"));
  const sizes = unique(inStock.flatMap((v) => splitList(v.size ?? "")));
  const brand = first.brand?.trim() || "Unbranded";
  const fields = {
    title,
    brand,
    category: category.slug,
    subcategory: sub.slug,
    colors: colors.length ? colors : ["multicolor"],
    materials: splitList(first.material ?? "").map((m) => m.toLowerCase()),
    pattern: (first.pattern || "solid").toLowerCase(),
    styleTags: styleTags.length ? unique(styleTags).slice(0, 3) : ["casual"],
    seasons: [] as string[],
  };
  const derived = deriveAttributes({ ...fields, formality: sub.formality });
  const department = departmentFromFeed(first.gender, first.age_group, `${title} ${first.product_type ?? ""}`);
  if (derived.weather.includes("warm")) fields.seasons = ["autumn", "winter"];
  else if (derived.weather.includes("breathable")) fields.seasons = ["spring", "summer"];
  const seed = Number.parseInt(createHash("sha256").update(groupId).digest("hex").slice(0, 8), 16);
  return {
    id: `prd_f_${groupId.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 80)}`,
    source: "feed",
    externalId: groupId,
    ...fields,
    description: (first.description || title).slice(0, 5000),
    brandTier: tierFor(price.amountMinor, sub),
    // A feed without gender: womenswear subcategories are women's, the rest unisex.
    department: department === "unisex" && !first.gender && WOMENSWEAR.has(sub.slug) ? "women" : department,
    ...derived,
    formality: sub.formality,
    sizesInStock: sizes.length ? sizes : inStock.length ? ["One Size"] : [],
    priceMinor: price.amountMinor,
    currency: price.currency,
    imageUrl: /^https:\/\//.test(first.image_link ?? "") ? first.image_link! : null,
    productUrl: /^https?:\/\//.test(first.link ?? "") ? first.link! : null,
    position: stylePosition({
      styleTags: fields.styleTags,
      formality: sub.formality,
      categoryIndex,
      categoryCount: CATEGORIES.length,
      gaussian: rng(seed).gaussian,
    }),
    searchText: buildSearchText(fields),
  };
}

/** "49.99 USD", "USD 49.99", "$49.99" (taken as USD). */
export function parsePrice(value: string): { amountMinor: number; currency: string } | null {
  const match = /^\s*(?:([A-Z]{3})\s*)?\$?\s*(\d+(?:[.,]\d{1,2})?)\s*([A-Z]{3})?\s*$/.exec(value.trim());
  if (!match) return null;
  const amount = Number(match[2]!.replace(",", "."));
  if (!Number.isFinite(amount) || amount < 0) return null;
  return { amountMinor: Math.round(amount * 100), currency: match[1] ?? match[3] ?? "USD" };
}

function tierFor(priceMinor: number, sub: Subcategory): BrandTier {
  const ratio = priceMinor / 100 / sub.basePrice;
  if (ratio >= (TIER_MULTIPLIER.premium + TIER_MULTIPLIER.luxury) / 2) return "luxury";
  if (ratio >= (TIER_MULTIPLIER.mid + TIER_MULTIPLIER.premium) / 2) return "premium";
  if (ratio >= (TIER_MULTIPLIER.value + TIER_MULTIPLIER.mid) / 2) return "mid";
  return "value";
}

function splitList(value: string): string[] {
  return value
    .split(/[,/|]/)
    .map((v) => v.trim())
    .filter(Boolean);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

