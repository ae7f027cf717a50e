import type { Candidate, PlanSolution } from "./optimizer";
import { WEIGHTS } from "./optimizer";
import { outfitProblem, roleOf, type AccessoryNeed, type PlanItem, type Season } from "./rules";

/**
 * Rule 7, after the exact solve: the accessory the month's weather or the person's occasion calls for
 * (a scarf or hat in winter, a bag or belt for work, a wedding, a party…), added to the planned outfits
 * from the money the plan leaves. Kept out of the program on purpose: as choices inside it they made
 * the solve several times slower and tight budgets unsolvable (bench/plan-bench.ts), while here the
 * choice is small: repeatedly the accessory that completes the most outfits for its price, each outfit
 * taking at most one, while the budget allows. An accessory worn with several outfits counts once.
 */
export const ACCESSORY_VALUE = 0.6;

export function addAccessories(
  solution: PlanSolution,
  items: ReadonlyMap<string, PlanItem>,
  need: AccessoryNeed | null,
  season: Season,
  budgetMinor: number,
): PlanSolution {
  if (!need) return solution;
  const choices = [...items.values()]
    .filter((i) => roleOf(i) === "accessory" && need.subcategories.includes(i.subcategory))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const outfits = solution.outfits.map((o) => ({ ...o, items: [...o.items] }));
  const finished = new Set<number>();
  let spent = solution.spentMinor;
  let gained = 0;
  const added: string[] = [];
  for (;;) {
    let best: { item: PlanItem; fits: number[]; value: number; cost: number } | null = null;
    for (const item of choices) {
      const cost = item.owned || added.includes(item.id) ? 0 : item.priceMinor;
      if (spent + cost > budgetMinor) continue;
      const fits = outfits.flatMap((o, k) =>
        !finished.has(k) && outfitProblem([...o.items.map((id) => items.get(id)!), item], season, need) === null ? [k] : [],
      );
      if (fits.length === 0) continue;
      const value = fits.length * (ACCESSORY_VALUE + item.affinity * 0.1) - (cost > 0 ? WEIGHTS.NEW_ITEM + (WEIGHTS.SPEND * cost) / Math.max(budgetMinor, 1) : 0);
      if (!best || value > best.value) best = { item, fits, value, cost };
    }
    if (!best || best.value <= 0) break;
    for (const k of best.fits) {
      outfits[k] = { items: [...outfits[k]!.items, best.item.id].sort(), quality: round(outfits[k]!.quality + ACCESSORY_VALUE) } satisfies Candidate;
      finished.add(k);
    }
    spent += best.cost;
    gained += best.value;
    if (!added.includes(best.item.id)) added.push(best.item.id);
  }
  if (added.length === 0) return solution;
  return {
    ...solution,
    outfits,
    itemIds: [...solution.itemIds, ...added.filter((id) => !solution.itemIds.includes(id))].sort(),
    spentMinor: spent,
    objective: solution.objective + gained,
    bound: solution.bound + gained,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
