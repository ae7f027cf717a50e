import type { Candidate } from "./optimizer";
import { WEIGHTS } from "./optimizer";
import { isStatement, needsOuterwear, outfitProblem, roleOf, type PlanItem, type Role, type Season } from "./rules";

/**
 * Preselection: from a pool of up to ~10,000 items in season and in the person's sizes, keep per role
 * the pieces they should like most, the cheapest (so small budgets stay feasible) and the most versatile
 * (solid neutrals), always the included and owned ones, then enumerate the wearable outfits among them and keep the best
 * MAX_CANDIDATES by value for money. The solve stays bounded whatever the catalog size.
 */

export interface PersonSignals {
  styleTags: readonly string[];
  goalWords: readonly string[];
}

/** How much a person should like an item, from their own signals: ratings, style tags, goals. */
export function affinityOf(item: Pick<PlanItem, "styleTags" | "liked" | "title" | "subcategory">, person: PersonSignals): number {
  const tags = new Set(person.styleTags.map((t) => t.toLowerCase()));
  const shared = item.styleTags.filter((t) => tags.has(t.toLowerCase())).length;
  const words = `${item.title} ${item.subcategory} ${item.styleTags.join(" ")}`.toLowerCase();
  const goalHits = person.goalWords.filter((w) => words.includes(w)).length;
  return 1 + 0.5 * Math.min(shared, 2) + (item.liked ? 1.5 : 0) + 0.3 * Math.min(goalHits, 2);
}

/** An outfit's quality: the affinity of its pieces, plus harmony (a focal point, or calm neutrals) and coherence. */
export function qualityOf(items: readonly PlanItem[]): number {
  const affinity = items.reduce((sum, i) => sum + i.affinity, 0);
  const statements = items.filter(isStatement).length;
  const formalities = items.map((i) => i.formality);
  const coherent = Math.max(...formalities) === Math.min(...formalities);
  return round(affinity + (statements === 1 ? 0.4 : 0.2) + (coherent ? 0.2 : 0));
}

/** Per role: the best liked, the cheapest, and the most versatile (solid neutrals, which go with anything). */
export const SHORTLIST: Record<Exclude<Role, "accessory">, { liked: number; cheap: number; versatile: number }> = {
  top: { liked: 10, cheap: 6, versatile: 6 },
  bottom: { liked: 9, cheap: 5, versatile: 6 },
  dress: { liked: 7, cheap: 4, versatile: 3 },
  shoes: { liked: 7, cheap: 4, versatile: 5 },
  outerwear: { liked: 4, cheap: 2, versatile: 2 },
};
export const MAX_CANDIDATES = 2500;

export interface CandidateSet {
  candidates: Candidate[];
  /** Items per role after preselection. */
  shortlisted: Record<string, number>;
  /** Wearable outfits among the shortlisted pieces, before the cap. */
  enumerated: number;
}

export function buildCandidates(pool: readonly PlanItem[], season: Season, budgetMinor: number, include: ReadonlySet<string>): CandidateSet {
  const byRole = new Map<Role, PlanItem[]>();
  for (const item of pool) {
    const role = roleOf(item);
    if (role === "accessory" || (role === "outerwear" && !needsOuterwear(season))) continue;
    byRole.set(role, [...(byRole.get(role) ?? []), item]);
  }
  const lists = new Map<Role, PlanItem[]>();
  for (const [role, items] of byRole) {
    const limits = SHORTLIST[role as keyof typeof SHORTLIST];
    const liked = [...items].sort((a, b) => b.affinity - a.affinity || a.priceMinor - b.priceMinor || cmp(a.id, b.id)).slice(0, limits.liked);
    const cheap = [...items].sort((a, b) => cost(a) - cost(b) || b.affinity - a.affinity || cmp(a.id, b.id)).slice(0, limits.cheap);
    const versatile = items
      .filter((i) => !isStatement(i))
      .sort((a, b) => b.affinity - a.affinity || a.priceMinor - b.priceMinor || cmp(a.id, b.id))
      .slice(0, limits.versatile);
    const forced = items.filter((i) => include.has(i.id) || i.owned);
    lists.set(role, dedupe([...forced, ...liked, ...cheap, ...versatile]));
  }
  const get = (role: Role) => lists.get(role) ?? [];
  const bases: PlanItem[][] = [];
  for (const top of get("top")) for (const bottom of get("bottom")) bases.push([top, bottom]);
  for (const dress of get("dress")) bases.push([dress]);
  const outfits: Array<{ items: PlanItem[]; quality: number; value: number }> = [];
  const layers: Array<PlanItem | null> = needsOuterwear(season) ? get("outerwear") : [null];
  for (const base of bases) {
    for (const shoes of get("shoes")) {
      for (const layer of layers) {
        const items = layer ? [...base, shoes, layer] : [...base, shoes];
        if (outfitProblem(items, season) !== null) continue;
        const quality = qualityOf(items);
        const price = items.reduce((sum, i) => sum + cost(i), 0);
        outfits.push({ items, quality, value: quality - (WEIGHTS.SPEND * price) / Math.max(budgetMinor, 1) - WEIGHTS.NEW_ITEM * items.filter((i) => !i.owned).length });
      }
    }
  }
  // Keep the best by value, and also the cheapest and every one holding an included piece.
  const key = (o: { items: PlanItem[] }) => o.items.map((i) => i.id).join("|");
  const kept = new Map<string, (typeof outfits)[number]>();
  const keep = (list: typeof outfits) => list.forEach((o) => kept.set(key(o), o));
  const sorted = [...outfits].sort((a, b) => b.value - a.value || cmp(key(a), key(b)));
  keep(sorted.slice(0, Math.max(MAX_CANDIDATES - 300, MAX_CANDIDATES / 2)));
  keep([...outfits].sort((a, b) => totalCost(a.items) - totalCost(b.items) || cmp(key(a), key(b))).slice(0, Math.min(200, MAX_CANDIDATES / 4)));
  for (const id of include) keep(sorted.filter((o) => o.items.some((i) => i.id === id)).slice(0, 50));
  const candidates = [...kept.values()]
    .sort((a, b) => b.value - a.value || cmp(key(a), key(b)))
    .map((o) => ({ items: o.items.map((i) => i.id).sort(), quality: o.quality }));
  return {
    candidates,
    shortlisted: Object.fromEntries([...lists].map(([role, items]) => [role, items.length])),
    enumerated: outfits.length,
  };
}

const cost = (item: PlanItem) => (item.owned ? 0 : item.priceMinor);
const totalCost = (items: PlanItem[]) => items.reduce((sum, i) => sum + cost(i), 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const round = (n: number) => Math.round(n * 1000) / 1000;

function dedupe(items: PlanItem[]): PlanItem[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true)));
}
