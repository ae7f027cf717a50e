import * as feedbackRepo from "@/db/repos/feedback";
import * as plansRepo from "@/db/repos/plans";
import type { Db } from "@/db/client";
import type { ProfileRow } from "@/db/repos/profiles";
import type { Sizes } from "@/db/schema";
import { sizeFit } from "../checkout/basket";
import { AppError } from "../errors";
import { money } from "../money";
import { asPlanItem, buildCandidates, type PersonSignals } from "./candidates";
import { catalogIndexFor, type CatalogIndex } from "../search/index";
import { attributeValue, understand } from "../search/service";
import { addAccessories } from "./accessories";
import { candidatePool } from "./pool";
import { solvePlan, type PlanProblem, type PlanSolution } from "./optimizer";
import { accessoryNeed, inSeason, isSouthern, isWarm, roleOf, seasonOf, type AccessoryNeed, type PlanItem, type Season } from "./rules";

/** The candidate pool's size per category (by affinity, and cheapest): about 10,000 items in all. */
export const POOL = { perCategory: 1400, cheapPerCategory: 250 } as const;

export interface Person extends PersonSignals {
  userId: string;
  sizes: Sizes;
  country: string | null;
  /** Who they shop for (the profile's departments); empty: any. */
  departments?: readonly string[];
}

/** The occasions the goals name, read as search reads a query: "office wardrobe" (or "ofice") is work. */
function goalOccasionsOf(index: CatalogIndex, goals: readonly string[]): string[] {
  const occasions = goals.flatMap((goal) => understand(index, goal).clauses.filter((c) => c.kind === "occasion").map(attributeValue));
  return [...new Set(occasions)].sort();
}

/** A person as the planner reads their profile (none saved: a newcomer with no signals). */
export function personFromProfile(index: CatalogIndex, userId: string, profile: Pick<ProfileRow, "sizes" | "address" | "departments" | "styleTags" | "goals"> | undefined): Person {
  const goals = profile?.goals ?? [];
  return {
    userId,
    sizes: profile?.sizes ?? {},
    country: profile?.address?.country ?? null,
    departments: profile?.departments ?? [],
    styleTags: profile?.styleTags ?? [],
    goalWords: goals.flatMap((g) => g.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length > 3),
    goalOccasions: goalOccasionsOf(index, goals),
  };
}

export interface PlanRequest {
  month: string;
  budgetMinor: number;
  outfitCount: number;
  includeItemIds: readonly string[];
  /** The input field that names included items, for errors (`includeItemIds`). */
  includeField?: string;
}

export interface Planned {
  season: Season;
  items: Map<string, PlanItem>;
  solution: PlanSolution;
  stats: { poolSize: number; shortlisted: Record<string, number>; enumerated: number; candidates: number };
}

/**
 * Plans the best `outfitCount` outfits for a person within a budget. Only reads: the caller persists
 * the result in a transaction of its own, after this (slow) work is done.
 */
export async function planOutfits(db: Db, person: Person, request: PlanRequest): Promise<Planned> {
  const { season, accessory, items, set, problem } = await buildPlanProblem(db, person, request);
  const result = await solvePlan(problem);
  if (!result.ok) {
    // Explain with numbers: how many outfits the budget does buy, and what the request would cost. Both
    // figures are the solves' proven bounds, so they stay true when a solve stops within its gap: no
    // plan makes more outfits than `fits` (and fewer than asked, as this solve just proved), and none
    // of that many costs less than `needed`.
    const unlimited = { ...problem, budgetMinor: Number.MAX_SAFE_INTEGER };
    const [most, cheapest] = await Promise.all([solvePlan(problem, "maxOutfits"), solvePlan(unlimited, "minCost")]);
    if (!cheapest.ok && cheapest.reason === "infeasible") {
      // No budget would do: the included items cannot all be worn in that few outfits.
      let fewest: number | null = null;
      for (let k = request.outfitCount + 1; k <= Math.min(problem.include.length, problem.candidates.length) && fewest === null; k++) {
        if ((await solvePlan({ ...unlimited, outfitCount: k }, "minCost")).ok) fewest = k;
      }
      const field = request.includeField ?? "includeItemIds";
      const message = `the ${problem.include.length} items in ${field} cannot all be worn in ${request.outfitCount} outfit${request.outfitCount === 1 ? "" : "s"}`;
      throw new AppError("validation", `Invalid outfitCount: ${message}${fewest ? `; that takes at least ${fewest}` : ""}.`, {
        issues: [{ field: "outfitCount", message: fewest ? `at least ${fewest} outfits are needed to wear every included item` : message }],
      });
    }
    const fits = most.ok ? Math.min(Math.floor(most.solution.bound + 1e-6), request.outfitCount - 1) : 0;
    const needed = cheapest.ok ? `at least ${money(Math.max(Math.ceil(cheapest.solution.bound - 1e-6), request.budgetMinor + 1), "USD").formatted}` : `more than ${money(request.budgetMinor, "USD").formatted}`;
    throw new AppError(
      "budget_exceeded",
      `Within ${money(request.budgetMinor, "USD").formatted}, at most ${fits} distinct outfit${fits === 1 ? "" : "s"} can be made; ${request.outfitCount} would cost ${needed}.`,
      { hint: fits > 0 ? `Ask for ${fits} outfit${fits === 1 ? "" : "s"} or fewer, or raise the budget.` : "Raise the budget." },
    );
  }
  return {
    season,
    items,
    solution: addAccessories(result.solution, items, accessory, season, request.budgetMinor),
    stats: { poolSize: items.size, shortlisted: set.shortlisted, enumerated: set.enumerated, candidates: set.candidates.length },
  };
}

/** The pool, the preselected candidates and the program, checked for the requests that cannot work. */
export async function buildPlanProblem(db: Db, person: Person, request: PlanRequest) {
  const season = seasonOf(request.month, isSouthern(person.country));
  const accessory = accessoryNeed(season, person.goalWords);
  const include = new Set(request.includeItemIds);
  const [owned, index, ratings] = await Promise.all([
    plansRepo.ownedProductIds(db, person.userId).then((ids) => new Set(ids)),
    catalogIndexFor(db),
    feedbackRepo.ratingsOf(db, person.userId),
  ]);
  const special = await plansRepo.poolItemsByIds(db, person.userId, [...new Set([...owned, ...include])]);
  const pool = candidatePool(index, ratings, { season, maxPriceMinor: request.budgetMinor, styleTags: person.styleTags, departments: person.departments, accessorySubcategories: accessory?.subcategories, ...POOL });
  const items = new Map<string, PlanItem>();
  for (const row of [...special, ...pool]) {
    if (items.has(row.id)) continue;
    const mine = owned.has(row.id) || include.has(row.id);
    if (!include.has(row.id)) {
      if (row.rating < 0) continue; // disliked: never chosen
      if (!inSeason(row, season)) continue;
      if (!mine) {
        const fit = sizeFit(row, person.sizes);
        if (fit.known && fit.size === null) continue; // their size is not in stock
      }
    }
    items.set(row.id, asPlanItem(row, mine, row.rating > 0, person));
  }

  const set = buildCandidates([...items.values()], season, request.budgetMinor, include, person);
  const field = request.includeField ?? "includeItemIds";
  const issues = request.includeItemIds.flatMap((id, index) =>
    set.candidates.some((c) => c.items.includes(id))
      ? []
      : [{ field: `${field}.${index}`, message: `${items.get(id)?.title ?? id} fits in no wearable ${season} outfit (${whyNot(items.get(id), season, accessory)})` }],
  );
  if (issues.length > 0) throw new AppError("validation", `Invalid ${issues.map((i) => i.field).join(", ")}: ${issues[0]!.message}.`, { issues });
  if (set.candidates.length < request.outfitCount) {
    const counts = Object.entries(set.shortlisted).map(([role, n]) => `${n} ${role}`).join(", ");
    throw new AppError(
      "validation",
      `Invalid outfitCount: only ${set.candidates.length} distinct wearable ${season} outfits can be made from items in your sizes within ${money(request.budgetMinor, "USD").formatted} (${counts || "no pieces"}); asked for ${request.outfitCount}.`,
      { issues: [{ field: "outfitCount", message: `at most ${set.candidates.length} outfits can be made` }] },
    );
  }

  const problem: PlanProblem = { items, candidates: set.candidates, outfitCount: request.outfitCount, budgetMinor: request.budgetMinor, include: [...include] };
  return { season, accessory, items, set, problem };
}

function whyNot(item: PlanItem | undefined, season: Season, accessory: AccessoryNeed | null): string {
  if (!item) return "not in the catalog";
  if (roleOf(item) === "accessory") {
    return accessory
      ? `accessories are added to the planned outfits from the budget left (this month: ${accessory.subcategories.join(" or ")}), not included by id`
      : "this month and these goals call for no accessory";
  }
  if (roleOf(item) === "outerwear" && season !== "winter") return "outerwear is planned for winter only";
  if (roleOf(item) === "outerwear" && !isWarm(item)) return "a winter outfit needs warm outerwear (a coat, a parka, wool…), and this piece is not made for the cold";
  return "no compatible pieces in your sizes and budget";
}
