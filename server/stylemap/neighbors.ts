import type { NeighbourRow } from "@/db/repos/catalog";

/**
 * Neighbours by style, not only by distance on the map: the candidates are the items nearest on the
 * map (Postgres' GiST k-nearest search), then each is scored on what a stylist would call "near":
 * position, category, colour, material, fit, formality, price tier, style tags, and the person's
 * ratings (near things they liked: up; near things they disliked, or disliked itself: down). Each
 * says why in a short phrase ("same relaxed linen look, 30% cheaper").
 */
export interface RatedPoint {
  id: string;
  x: number;
  y: number;
}

export interface Taste {
  liked: RatedPoint[];
  disliked: RatedPoint[];
}

export interface ScoredNeighbour {
  row: NeighbourRow;
  score: number;
  distance: number;
  why: string;
}

export function rankNeighbours(item: NeighbourRow, candidates: NeighbourRow[], taste: Taste, limit: number): ScoredNeighbour[] {
  const dislikedIds = new Set(taste.disliked.map((d) => d.id));
  const likedIds = new Set(taste.liked.map((d) => d.id));
  return candidates
    .filter((c) => c.id !== item.id)
    .map((c) => score(item, c, taste, likedIds, dislikedIds))
    .sort((a, b) => b.score - a.score || a.distance - b.distance || (a.row.id < b.row.id ? -1 : 1))
    .slice(0, limit);
}

function score(item: NeighbourRow, c: NeighbourRow, taste: Taste, likedIds: Set<string>, dislikedIds: Set<string>): ScoredNeighbour {
  const distance = Math.hypot(c.position.x - item.position.x, c.position.y - item.position.y);
  let s = 3 * Math.exp(-distance / 25);
  if (c.subcategory === item.subcategory) s += 1.2;
  else if (c.category === item.category) s += 0.8;
  const colors = shared(item.colors, c.colors);
  const materials = shared(item.materials, c.materials);
  const styles = shared(item.styleTags, c.styleTags);
  if (colors.length) s += 0.6;
  if (materials.length) s += 0.6;
  if (item.fit && c.fit === item.fit) s += 0.4;
  s += 0.3 * Math.min(3, styles.length);
  s -= 0.4 * Math.abs(c.formality - item.formality);
  if (c.brandTier === item.brandTier) s += 0.4;
  s -= 0.6 * Math.abs(Math.log2(Math.max(1, c.priceMinor) / Math.max(1, item.priceMinor)));
  const nearLiked = closeness(c, taste.liked);
  const nearDisliked = closeness(c, taste.disliked);
  s += Math.min(1.5, nearLiked) - Math.min(1.5, nearDisliked);
  if (likedIds.has(c.id)) s += 1;
  if (dislikedIds.has(c.id)) s -= 4;
  return { row: c, score: s, distance, why: why(item, c, { colors, materials, styles, nearLiked, liked: likedIds.has(c.id) }) };
}

/** How close a candidate is to a set of rated items: each within ~15 units counts, nearer counts more. */
function closeness(c: NeighbourRow, points: RatedPoint[]): number {
  let sum = 0;
  for (const p of points) {
    if (p.id === c.id) continue;
    sum += 0.8 * Math.exp(-Math.hypot(p.x - c.position.x, p.y - c.position.y) / 15);
  }
  return sum;
}

function shared(a: readonly string[], b: readonly string[]): string[] {
  const lower = new Set(b.map((v) => v.toLowerCase()));
  return a.filter((v) => lower.has(v.toLowerCase())).map((v) => v.toLowerCase());
}

function why(
  item: NeighbourRow,
  c: NeighbourRow,
  s: { colors: string[]; materials: string[]; styles: string[]; nearLiked: number; liked: boolean },
): string {
  const words: string[] = [];
  if (item.fit && c.fit === item.fit) words.push(item.fit);
  if (s.materials[0]) words.push(s.materials[0]);
  else if (s.colors[0]) words.push(s.colors[0]);
  let look: string;
  if (words.length) look = `same ${words.join(" ")} look`;
  else if (s.styles[0]) look = `same ${s.styles[0]} style`;
  else if (c.category === item.category) look = `another ${singularCategory(c.subcategory)} nearby`;
  else look = "close by style";
  const parts = [look, priceRelation(item.priceMinor, c.priceMinor)];
  if (s.liked) parts.push("you liked it");
  else if (s.nearLiked >= 0.5) parts.push("near things you liked");
  return parts.join(", ");
}

function priceRelation(base: number, other: number): string {
  if (base <= 0) return other <= 0 ? "same price" : "pricier";
  const pct = Math.round(((other - base) / base) * 100);
  if (Math.abs(pct) < 5) return "about the same price";
  return pct < 0 ? `${-pct}% cheaper` : `${pct}% pricier`;
}

function singularCategory(subcategory: string): string {
  return subcategory.replace(/-/g, " ").replace(/(s|es)$/, "").trim() || "item";
}
