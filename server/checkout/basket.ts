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
export function wantedSizes(product: Pick<SizedProduct, "category" | "subcategory">, sizes: Sizes): string[] | null {
  const keys = [product.subcategory, ...(SIZE_KEYS[product.category] ?? [])];
  const lowered = new Map(Object.entries(sizes).map(([k, v]) => [k.toLowerCase(), v]));
  let wanted: string[] | null = null;
  for (const key of keys) {
    const value = lowered.get(key.toLowerCase());
    if (value === undefined || typeof value === "boolean") continue;
    wanted = [...(wanted ?? []), ...(Array.isArray(value) ? value : [value]).map(String)];
  }
  return wanted;
}

/** "M" is "m", and 42 is "EU 42". */
export function sameSize(stock: string, wanted: string): boolean {
  return normalizeSize(stock) === normalizeSize(wanted);
}

export function normalizeSize(size: string): string {
  return size.trim().toUpperCase().replace(/^(EU|US|UK)\s*/, "");
}

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
