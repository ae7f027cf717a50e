import { createHash } from "node:crypto";
import type { Sizes } from "@/db/schema";

/** The profile size names that apply to each kind of item, most specific first. */
const SIZE_KEYS: Record<string, string[]> = {
  tops: ["top", "tops", "shirt", "apparel", "clothing", "size"],
  outerwear: ["outerwear", "jacket", "coat", "top", "tops", "apparel", "clothing", "size"],
  dresses: ["dress", "dresses", "top", "apparel", "clothing", "size"],
  activewear: ["activewear", "top", "tops", "apparel", "clothing", "size"],
  bottoms: ["waist", "bottom", "bottoms", "pants", "trousers", "jeans", "size"],
  shoes: ["shoe", "shoes", "footwear"],
  accessories: [],
};

export interface SizedProduct {
  category: string;
  subcategory: string;
  sizesInStock: string[];
}

/**
 * The size to ship for an item: the only one when it comes in one size, else the user's size for its
 * kind when that size is in stock (so "M", 32 and "42" match "M", "32" and "EU 42"). Null when it must
 * be asked on the approval page.
 */
export function sizeFromProfile(product: SizedProduct, sizes: Sizes): string | null {
  return sizeFit(product, sizes).size;
}

/**
 * Whether an item fits: `known` when the profile says the person's size for this kind of item, `size`
 * the matching size in stock (null when their size is out of stock, or unknown).
 */
export function sizeFit(product: SizedProduct, sizes: Sizes): { known: boolean; size: string | null } {
  if (product.sizesInStock.length === 1) return { known: true, size: product.sizesInStock[0]! };
  const wanted = wantedSizes(product, sizes);
  for (const candidate of wanted ?? []) {
    const match = product.sizesInStock.find((s) => sameSize(s, candidate));
    if (match) return { known: true, size: match };
  }
  return { known: wanted !== null, size: null };
}

/** The sizes the profile gives for this kind of item, most specific first; null when it gives none. */
export function wantedSizes(product: Pick<SizedProduct, "category" | "subcategory">, sizes: Sizes): readonly string[] | null {
  // Asked once per pooled item when planning (about 10,000): answered once per kind of item and profile.
  let byKind = wantedByProfile.get(sizes);
  if (!byKind) wantedByProfile.set(sizes, (byKind = new Map()));
  const kind = `${product.category}/${product.subcategory}`;
  let wanted = byKind.get(kind);
  if (wanted === undefined) {
    const lowered = new Map(Object.entries(sizes).map(([k, v]) => [k.toLowerCase(), v]));
    let found: string[] | null = null;
    for (const key of [product.subcategory, ...(SIZE_KEYS[product.category] ?? [])]) {
      const value = lowered.get(key.toLowerCase());
      if (value === undefined || typeof value === "boolean") continue;
      found = [...(found ?? []), ...(Array.isArray(value) ? value : [value]).map(String)];
    }
    byKind.set(kind, (wanted = found && Object.freeze(found)));
  }
  return wanted;
}
/** Per profile sizes object (read, never changed, by every caller), the wanted sizes per kind of item. */
const wantedByProfile = new WeakMap<Sizes, Map<string, readonly string[] | null>>();

/** "M" is "m", and 42 is "EU 42". */
export function sameSize(stock: string, wanted: string): boolean {
  return normalizeSize(stock) === normalizeSize(wanted);
}

export function normalizeSize(size: string): string {
  let normal = normalSizes.get(size);
  if (normal === undefined) {
    normal = size.trim().toUpperCase().replace(/^(EU|US|UK)\s*/, "");
    // Sizes are a small vocabulary; a feed of odd ones cannot grow this without bound.
    if (normalSizes.size >= 10_000) normalSizes.clear();
    normalSizes.set(size, normal);
  }
  return normal;
}
/** A plan checks every pooled item's sizes (about 10,000 items, 50,000 sizes) against the profile's. */
const normalSizes = new Map<string, string>();


export interface SnapshotLine {
  productId: string;
  size: string | null;
  unitPriceMinor: number;
  quantity: number;
}

/** A digest of what is paid for: sent to Stripe in metadata and checked again when the payment lands. */
export function basketHash(currency: string, lines: readonly SnapshotLine[]): string {
  const canonical = lines.map((l) => [l.productId, l.size ?? "", l.unitPriceMinor, l.quantity]);
  return createHash("sha256").update(JSON.stringify([currency.toUpperCase(), canonical])).digest("hex");
}

export function totalOf(lines: readonly Pick<SnapshotLine, "unitPriceMinor" | "quantity">[]): number {
  return lines.reduce((sum, l) => sum + l.unitPriceMinor * l.quantity, 0);
}

/** The first instant of the month `now` is in (UTC): budgets are monthly. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}
