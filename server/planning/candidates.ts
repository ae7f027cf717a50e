import type { Candidate } from "./optimizer";
import { WEIGHTS } from "./optimizer";
import { isStatement, isWarm, needsOuterwear, outfitProblem, roleOf, type PlanItem, type Role, type Season } from "./rules";

/**
 * Preselection: from a pool of up to ~10,000 items in season and in the person's sizes, keep per role
 * the pieces they should like most, the cheapest (so small budgets stay feasible) and the most versatile
 * (solid neutrals), always the included and owned ones, and, when the goals name an occasion (work, a
 * wedding…), the best liked and the cheapest pieces made for it. Then enumerate the wearable outfits
 * among them and keep the best MAX_CANDIDATES by value for money. The solve stays bounded whatever the
 * catalog size.
 */

export interface PersonSignals {
  styleTags: readonly string[];
  goalWords: readonly string[];
  /** The occasions the goals name, read as search reads a query ("office wardrobe": work). */
  goalOccasions?: readonly string[];
}

/** How much an outfit made for an occasion the goals name adds to its quality (as much as a shared style tag on one piece). */
export const OCCASION_BONUS = 0.5;

/** Whether a piece is made for an occasion the person's goals name. */
export function suitsGoals(item: Pick<PlanItem, "occasions">, person: Pick<PersonSignals, "goalOccasions">): boolean {
  return (person.goalOccasions ?? []).some((o) => item.occasions.includes(o));
}

/**
 * The occasion the goals name that an outfit is made for: every piece but the accessory made for it
 * ("office wardrobe": shirt, trousers and loafers, all for work). Null when there is none. Rewarded per
 * outfit, not per piece: tried per piece, the LP relaxation took a little of every dear work piece into
 * many outfits, and plans where work was out of reach took 0.5 → 4.6 s to prove (bench, 10 outfits at $300).
 */
export function goalOccasionOf(items: readonly Pick<PlanItem, "occasions" | "category" | "subcategory">[], person: Pick<PersonSignals, "goalOccasions">): string | null {
  const worn = items.filter((i) => roleOf(i) !== "accessory");
  return (person.goalOccasions ?? []).find((o) => worn.length > 0 && worn.every((i) => i.occasions.includes(o))) ?? null;
}

/** The affinity of a piece nothing sets apart for this person: no rating, style tag or goal word. */
export const NO_SIGNAL = 1;

/** A catalog row as a plan's piece: owned or not, rated up or not, and how much this person should like it. */
export function asPlanItem(row: Omit<PlanItem, "owned" | "liked" | "affinity">, owned: boolean, liked: boolean, person: PersonSignals): PlanItem {
  return { ...row, owned, liked, affinity: affinityOf({ styleTags: row.styleTags, liked, title: row.title, subcategory: row.subcategory }, person) };
}

/** How much a person should like an item, from their own signals: ratings, style tags, goals. */
export function affinityOf(item: Pick<PlanItem, "styleTags" | "liked" | "title" | "subcategory">, person: PersonSignals): number {
  const tags = new Set(person.styleTags.map((t) => t.toLowerCase()));
  const shared = item.styleTags.filter((t) => tags.has(t.toLowerCase())).length;
  let goalHits = 0;
  if (person.goalWords.length > 0) {
    const words = `${item.title} ${item.subcategory} ${item.styleTags.join(" ")}`.toLowerCase();
    goalHits = person.goalWords.filter((w) => words.includes(w)).length;
  }
  return NO_SIGNAL + 0.5 * Math.min(shared, 2) + (item.liked ? 1.5 : 0) + 0.3 * Math.min(goalHits, 2);
}

/**
 * An outfit's quality: the affinity of its pieces, plus harmony (a focal point, or calm neutrals),
 * coherence, and being made for an occasion the goals name.
 */
export function qualityOf(items: readonly PlanItem[], person: Pick<PersonSignals, "goalOccasions"> = {}): number {
  const affinity = items.reduce((sum, i) => sum + i.affinity, 0);
  const statements = items.filter(isStatement).length;
  const formalities = items.map((i) => i.formality);
  const coherent = Math.max(...formalities) === Math.min(...formalities);
  return round(affinity + (statements === 1 ? 0.4 : 0.2) + (coherent ? 0.2 : 0) + (goalOccasionOf(items, person) ? OCCASION_BONUS : 0));
}

/**
 * Per role: the best liked, the cheapest, the most versatile (solid neutrals, which go with anything),
 * and when the goals name an occasion, the best liked (in place of as many general ones) and the
 * cheapest pieces made for it.
 */
export const SHORTLIST: Record<Exclude<Role, "accessory">, { liked: number; cheap: number; versatile: number; occasion: number; occasionCheap: number }> = {
  top: { liked: 10, cheap: 6, versatile: 6, occasion: 3, occasionCheap: 2 },
  bottom: { liked: 9, cheap: 5, versatile: 6, occasion: 3, occasionCheap: 2 },
  dress: { liked: 7, cheap: 4, versatile: 3, occasion: 2, occasionCheap: 1 },
  shoes: { liked: 7, cheap: 4, versatile: 5, occasion: 2, occasionCheap: 2 },
  // Winter only, and every winter outfit wears one, so each piece here multiplies the outfits. Over the
  // bench's three winter months, 4/2/2 → 3/2/1 (liked/cheap/versatile): the office plans score the same
  // (objective sum 2249.0) and 30 of them at $600 take 1.7 → 0.7 s; the newcomer's score 0.6% less and
  // take a third of the time or less. Since winter outerwear must be warm (rules.ts), versatile 1 → 2: with
  // one solid neutral coat the office's 30 outfits at $600 were "impossible" (at most 24), which 6/4/3
  // lists plan for $593.90; with two they are planned (1.3 s p50) and the winter objective sum is 0.03%
  // under 3/2/3's, which took 3.0 s where this takes 0.5 s for 30 outfits at $1,200.
  outerwear: { liked: 3, cheap: 2, versatile: 2, occasion: 1, occasionCheap: 1 },
};
export const MAX_CANDIDATES = 2500;

export interface CandidateSet {
  candidates: Candidate[];
  /** Items per role after preselection. */
  shortlisted: Record<string, number>;
  /** Wearable outfits among the shortlisted pieces, before the cap. */
  enumerated: number;
}

export function buildCandidates(
  pool: readonly PlanItem[],
  season: Season,
  budgetMinor: number,
  include: ReadonlySet<string>,
  person: Pick<PersonSignals, "goalOccasions"> = {},
): CandidateSet {
  const byRole = new Map<Role, PlanItem[]>();
  for (const item of pool) {
    const role = roleOf(item);
    // Only warm outerwear makes a winter outfit (rules.ts, rule 1): other pieces would take places on its short list.
    if (role === "accessory" || (role === "outerwear" && (!needsOuterwear(season) || !isWarm(item)))) continue;
    byRole.set(role, [...(byRole.get(role) ?? []), item]);
  }
  const lists = new Map<Role, PlanItem[]>();
  for (const [role, items] of byRole) {
    const limits = SHORTLIST[role as keyof typeof SHORTLIST];
    const best = (list: PlanItem[], n: number) => [...list].sort(likedFirst).slice(0, n);
    const cheapest = (list: PlanItem[], n: number) => [...list].sort(cheaperFirst).slice(0, n);
    // With an occasion named, its best liked pieces take places of the general best liked: the program
    // stays the size it was (bench/plan-bench.ts: adding them instead made 30 outfits at $300 1.3 → 1.9 s).
    const likedCount = limits.liked - ((person.goalOccasions ?? []).length > 0 ? limits.occasion : 0);
    const signalled = best(items.filter((i) => i.affinity > NO_SIGNAL), likedCount);
    const liked = [...signalled, ...acrossFormality(items.filter((i) => i.affinity <= NO_SIGNAL), likedCount - signalled.length)];
    const cheap = cheapest(items, limits.cheap);
    const versatile = best(items.filter((i) => !isStatement(i)), limits.versatile);
    const occasion = items.filter((i) => suitsGoals(i, person));
    const forOccasion = [...best(occasion, limits.occasion), ...cheapest(occasion, limits.occasionCheap)];
    const forced = items.filter((i) => include.has(i.id) || i.owned);
    lists.set(role, dedupe([...forced, ...liked, ...cheap, ...versatile, ...forOccasion]));
  }
  for (const piece of pool) {
    if (!include.has(piece.id) || !byRole.get(roleOf(piece))?.includes(piece)) continue;
    for (const outfit of outfitsAround(piece, byRole, season)) for (const item of outfit) lists.set(roleOf(item), dedupe([...(lists.get(roleOf(item)) ?? []), item]));
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
        const quality = qualityOf(items, person);
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

/**
 * For each included piece, the pieces of the cheapest wearable outfit around it and of the one its person
 * should like most, searched over the whole pool, not only the short lists. An outfit holding the piece
 * exists exactly when, for some formality window of two steps holding the piece's, some one role (or
 * none) allowed a statement, and sportswear either throughout or nowhere, every other role has a piece
 * that fits: the rules (rules.ts: 1, 2, 3, 6) then hold for any choice, so each role's cheapest (or best
 * liked) fitting piece is taken on its own. The general lists need not hold such an outfit: in a test
 * catalog's winter, the cheapest gray jeans went with none of them (the only casual warm coat was light
 * blue, and every casual pair of shoes on the list had colour), and a plan to include the jeans was refused.
 */
export function outfitsAround(piece: PlanItem, byRole: ReadonlyMap<Role, readonly PlanItem[]>, season: Season): PlanItem[][] {
  const role = roleOf(piece);
  const layer: Role[] = needsOuterwear(season) ? ["outerwear"] : [];
  const structures = ([["top", "bottom", "shoes", ...layer], ["dress", "shoes", ...layer]] as Role[][]).filter((s) => s.includes(role));
  const clothes = (r: Role) => r === "top" || r === "bottom" || r === "dress";
  const sporty = (i: PlanItem) => i.category === "activewear" && clothes(roleOf(i));
  const modes = clothes(role) ? [sporty(piece)] : role === "shoes" && piece.subcategory !== "sneakers" ? [false] : [false, true];
  let cheapest: { items: PlanItem[]; price: number } | null = null;
  let best: { items: PlanItem[]; affinity: number; price: number } | null = null;
  for (const structure of structures) {
    const others = structure.filter((r) => r !== role);
    for (const low of [piece.formality - 1, piece.formality]) {
      for (const statement of isStatement(piece) ? [null] : [null, ...others]) {
        for (const sport of modes) {
          const fits = others.map((r) =>
            (byRole.get(r) ?? []).filter(
              (i) =>
                i.formality >= low && i.formality <= low + 1 && (r === statement || !isStatement(i)) &&
                (clothes(r) ? sporty(i) === sport : r !== "shoes" || !sport || i.subcategory === "sneakers"),
            ),
          );
          if (fits.some((f) => f.length === 0)) continue;
          const low1 = fits.map((f) => firstOf(f, cheaperFirst));
          const top1 = fits.map((f) => firstOf(f, likedFirst));
          const price = totalCost(low1);
          if (!cheapest || price < cheapest.price) cheapest = { items: [piece, ...low1], price };
          const affinity = top1.reduce((sum, i) => sum + i.affinity, 0);
          if (!best || affinity > best.affinity || (affinity === best.affinity && totalCost(top1) < best.price)) best = { items: [piece, ...top1], affinity, price: totalCost(top1) };
        }
      }
    }
  }
  return [cheapest?.items, best?.items].filter((o): o is PlanItem[] => o !== undefined);
}

/**
 * The first `count` of the pieces nothing sets apart, in the order the liked list takes them: the
 * cheapest of each formality level, then the next of each, and so on. Cheapest first overall (the cheap list's job) gave a person
 * with no style tags only the cheapest pieces, mostly casual ones that seldom combine: 26 wearable winter
 * outfits among them, and a capsule of one shirt dress under eight track jackets and sneakers. Across
 * levels, 265 outfits, and a capsule of two shirts, two skirts, two pairs of heels and a blazer.
 */
function acrossFormality(items: readonly PlanItem[], count: number): PlanItem[] {
  if (count <= 0) return [];
  const levels = new Map<number, PlanItem[]>();
  for (const item of [...items].sort((a, b) => a.priceMinor - b.priceMinor || cmp(a.id, b.id))) {
    const level = levels.get(item.formality) ?? [];
    level.push(item);
    levels.set(item.formality, level);
  }
  const order = [...levels.keys()].sort((a, b) => a - b);
  const spread: PlanItem[] = [];
  const wanted = Math.min(count, items.length);
  for (let k = 0; spread.length < wanted; k++) for (const level of order) if (levels.get(level)![k] && spread.length < wanted) spread.push(levels.get(level)![k]!);
  return spread;
}
const cost = (item: PlanItem) => (item.owned ? 0 : item.priceMinor);
/** The orders of the short lists: best liked (then cheaper), and cheapest for the budget (then best liked). */
const likedFirst = (a: PlanItem, b: PlanItem) => b.affinity - a.affinity || a.priceMinor - b.priceMinor || cmp(a.id, b.id);
const cheaperFirst = (a: PlanItem, b: PlanItem) => cost(a) - cost(b) || b.affinity - a.affinity || cmp(a.id, b.id);
const firstOf = (items: readonly PlanItem[], order: (a: PlanItem, b: PlanItem) => number) => items.reduce((a, b) => (order(b, a) < 0 ? b : a));
const totalCost = (items: PlanItem[]) => items.reduce((sum, i) => sum + cost(i), 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const round = (n: number) => Math.round(n * 1000) / 1000;

function dedupe(items: PlanItem[]): PlanItem[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true)));
}
