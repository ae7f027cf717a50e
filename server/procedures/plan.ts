import { z } from "zod";
import * as feedbackRepo from "@/db/repos/feedback";
import * as plansRepo from "@/db/repos/plans";
import { findProfile } from "@/db/repos/profiles";
import { findProductsByIds } from "@/db/repos/approvals";
import { audit } from "../audit";
import { productImagePath } from "../catalog/links";
import { sizeFit } from "../checkout/basket";
import type { Context, UserContext } from "../context";
import { AppError, notFound } from "../errors";
import { majorAmount, money, moneySchema, toMinor } from "../money";
import { asPlanItem, qualityOf } from "../planning/candidates";
import { outfitName, outfitWhy, planSummary, nounOf } from "../planning/explain";
import { personFromProfile, planOutfits, type Person } from "../planning/planner";
import { candidatePool } from "../planning/pool";
import { catalogIndexFor } from "../search/index";
import { accessoryNeedOf, inSeason, outfitProblem, roleOf, type PlanItem, type Role, type Season } from "../planning/rules";
import { withTransaction } from "../transaction";
import { itemIdSchema } from "./catalog";
import { defineProcedure, READ_ONLY, WRITE, WRITE_IDEMPOTENT } from "./define";

// ---- schemas -------------------------------------------------------------------------------------

const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as "YYYY-MM", e.g. "2026-12"')
  .describe('The month to plan for, "YYYY-MM"');
const budgetSchema = majorAmount.describe("Budget in USD, major units; the profile's monthly budget when absent");
const outfitCountSchema = z.number().int().min(1, "must be at least 1").max(30, "must be at most 30").describe("How many distinct outfits (1–30)");

const planItemSchema = z.object({
  itemId: z.string(),
  title: z.string(),
  role: z.string().describe("top, bottom, dress, shoes, outerwear or accessory"),
  owned: z.boolean().describe("Already the user's: costs nothing"),
});

export const planSchema = z.object({
  planId: z.string(),
  kind: z.enum(["capsule", "outfits"]),
  month: z.string(),
  season: z.string(),
  budget: moneySchema,
  total: moneySchema.describe("What the new pieces cost (owned pieces cost nothing)"),
  budgetLeft: moneySchema,
  outfitCount: z.number().int(),
  summary: z.string().describe("Why this plan, in the user's terms"),
  outfits: z.array(
    z.object({
      outfitId: z.string(),
      name: z.string(),
      why: z.string(),
      items: z.array(planItemSchema),
      value: moneySchema.describe("What the pieces of this outfit are worth at their planned prices"),
    }),
  ),
  newItems: z.array(
    z.object({
      itemId: z.string(),
      title: z.string(),
      price: moneySchema,
      wears: z.number().int().describe("In how many of the outfits it is worn"),
      costPerWear: moneySchema,
    }),
  ),
  ownedItems: z.array(z.object({ itemId: z.string(), title: z.string(), wears: z.number().int() })),
  solver: z.object({
    status: z
      .string()
      .describe("optimal: no better plan exists among the candidates; within_gap: proven within `gap` of the best; feasible: the best found"),
    gap: z.number().describe("Relative optimality gap: how much better, at most, the best possible plan could score"),
    timeMs: z.number(),
    candidates: z.number().int().describe("Wearable outfits the optimiser chose among"),
    poolSize: z.number().int().describe("Catalog items considered"),
  }),
  createdAt: z.string(),
  pageUrl: z.string().describe("The plan on the Stylist site"),
});
export type PlanView = z.infer<typeof planSchema>;

const planIdInput = z.uuid("is not a plan id");

// ---- procedures ----------------------------------------------------------------------------------

export const generateCapsule = defineProcedure({
  name: "plan.generateCapsule",
  title: "Plan a monthly capsule",
  description:
    "Plan a capsule wardrobe for a month: the best `outfitCount` distinct, wearable outfits (top + bottom + shoes, or " +
    "dress + shoes; warm outerwear (a coat, a parka, wool) and a scarf or hat in winter; a bag or belt when the goals name an occasion such as work " +
    "or a wedding) for the season, in the user's sizes and departments, within the budget (the profile's " +
    "monthly budget unless `budget` is given), never over it. Items the user owns are reused first and cost nothing. " +
    "Chosen by an exact optimiser for the user's ratings, style tags and goals and for versatility. Returns each " +
    "outfit with a name and why it works, the new pieces with cost per wear, and the budget left. Saved: " +
    "plan.get reads it again, and an outfit id can go into checkout.createApprovalLink.",
  scopes: ["plans:write", "catalog:read"],
  input: z.strictObject({ month: monthSchema, budget: budgetSchema.optional(), outfitCount: outfitCountSchema }),
  output: planSchema,
  annotations: WRITE,
  transaction: "none",
  mcp: { invoking: "Planning your capsule…", invoked: "Capsule planned", summary: summaryLine, list: "outfits", narrowHint: "ask for fewer outfits" },
  handler: async (ctx, input) => createPlan(ctx, { kind: "capsule", month: input.month, budget: input.budget, outfitCount: input.outfitCount, includeItemIds: [] }),
});

export const generateOutfits = defineProcedure({
  name: "plan.generateOutfits",
  title: "Plan outfits",
  description:
    "Plan the best `outfitCount` distinct, wearable outfits for this month within the budget (the profile's monthly " +
    "budget unless `budget` is given), built around `includeItemIds` (each is used in at least one outfit and counts " +
    "as already owned). Unknown item ids are not_found. Returns the outfits with names and reasons, the new pieces " +
    "with cost per wear, and the budget left; saved like a capsule.",
  scopes: ["plans:write", "catalog:read"],
  input: z.strictObject({
    budget: budgetSchema.optional(),
    outfitCount: outfitCountSchema,
    includeItemIds: z.array(itemIdSchema).max(10, "at most 10 items").default([]).describe("Items to build the outfits around"),
  }),
  output: planSchema,
  annotations: WRITE,
  transaction: "none",
  mcp: { invoking: "Planning outfits…", invoked: "Outfits planned", summary: summaryLine, list: "outfits", narrowHint: "ask for fewer outfits" },
  handler: async (ctx, input) => {
    const ids = [...new Set(input.includeItemIds)];
    const known = new Set((await findProductsByIds(ctx.db, ids)).map((p) => p.id));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new AppError("not_found", `No item${unknown.length > 1 ? "s" : ""} with id ${unknown.join(", ")}. Search the catalog for current ids.`);
    const month = ctx.now().toISOString().slice(0, 7);
    return createPlan(ctx, { kind: "outfits", month, budget: input.budget, outfitCount: input.outfitCount, includeItemIds: ids });
  },
});

export const swapItemInOutfit = defineProcedure({
  name: "plan.swapItemInOutfit",
  title: "Swap a piece in an outfit",
  description:
    "Replace one piece of a planned outfit with the best compatible one: same role (or `replacementCategory`, a " +
    "category or subcategory of that role, such as \"sneakers\" for shoes; a top cannot replace a dress), close in style to the removed piece, in the user's sizes and " +
    "season, keeping the outfit wearable, distinct from the plan's other outfits, and the plan within its budget. " +
    "Updates totals and cost per wear and says " +
    "what changed.",
  scopes: ["plans:write", "catalog:read"],
  input: z.strictObject({
    outfitId: z.uuid("is not an outfit id"),
    removeItemId: itemIdSchema,
    replacementCategory: z.string().trim().toLowerCase().min(1).max(60).optional(),
  }),
  output: planSchema.extend({ changed: z.string().describe("What changed, in one sentence") }),
  annotations: WRITE_IDEMPOTENT,
  transaction: "none",
  mcp: { invoking: "Swapping the piece…", invoked: "Piece swapped", summary: (out) => out.changed, list: "outfits", narrowHint: "ask for fewer outfits" },
  handler: async (ctx, input) => swap(ctx, input),
});

export const listPlans = defineProcedure({
  name: "plan.list",
  title: "List your plans",
  description: "The user's saved capsules and outfit plans, newest first: month, number of outfits, total and budget. Read one with plan.get.",
  scopes: ["plans:write"],
  input: z.strictObject({ limit: z.number().int().min(1).max(50, "must be at most 50").default(20) }),
  output: z.object({
    plans: z.array(
      z.object({
        planId: z.string(),
        kind: z.enum(["capsule", "outfits"]),
        month: z.string(),
        outfitCount: z.number().int(),
        total: moneySchema,
        budget: moneySchema.nullable(),
        imageUrl: z.string().nullable(),
        createdAt: z.string(),
        pageUrl: z.string(),
      }),
    ),
  }),
  annotations: READ_ONLY,
  handler: async (ctx, input) => {
    const rows = await plansRepo.listUserPlans(ctx.db, ctx.actor.userId, input.limit);
    return {
      plans: rows.map((row) => ({
        planId: row.id,
        kind: row.kind,
        month: row.month ?? "",
        outfitCount: row.outfitCount,
        total: money(row.totalMinor, row.currency),
        budget: row.budgetMinor === null ? null : money(row.budgetMinor, row.currency),
        imageUrl: row.firstItemId ? `${ctx.appBaseUrl}${productImagePath(row.firstItemId)}` : null,
        createdAt: row.createdAt.toISOString(),
        pageUrl: `${ctx.appBaseUrl}/plans/${row.id}`,
      })),
    };
  },
});

export const getPlan = defineProcedure({
  name: "plan.get",
  title: "Read a plan",
  description: "One of the user's saved plans by id, with its outfits, new pieces, cost per wear and budget left.",
  scopes: ["plans:write"],
  input: z.strictObject({ planId: planIdInput }),
  output: planSchema,
  annotations: READ_ONLY,
  mcp: { summary: summaryLine, list: "outfits", narrowHint: "read the plan on the site" },
  handler: async (ctx, input) => {
    const detail = await plansRepo.findUserPlan(ctx.db, ctx.actor.userId, input.planId);
    if (!detail) throw notFound("plan", input.planId);
    return toPlanView(ctx, detail);
  },
});

// ---- helpers -------------------------------------------------------------------------------------

function summaryLine(out: PlanView): string {
  return `${out.outfitCount} outfits for ${out.month} (${out.season}): new pieces ${out.total.formatted} of ${out.budget.formatted}, ${out.budgetLeft.formatted} left. ${out.summary}`;
}

async function personOf(ctx: UserContext): Promise<{ person: Person; budgetMinor: number | null }> {
  const [profile, index] = await Promise.all([findProfile(ctx.db, ctx.actor.userId), catalogIndexFor(ctx.db)]);
  return { person: personFromProfile(index, ctx.actor.userId, profile), budgetMinor: profile?.monthlyBudgetMinor ?? null };
}

async function createPlan(
  ctx: UserContext,
  request: { kind: "capsule" | "outfits"; month: string; budget: number | undefined; outfitCount: number; includeItemIds: string[] },
): Promise<PlanView> {
  const { person, budgetMinor: profileBudget } = await personOf(ctx);
  const budgetMinor = request.budget !== undefined ? toMinor(request.budget) : profileBudget;
  if (budgetMinor === null) {
    throw new AppError("validation", "Invalid budget: there is no monthly budget on the profile; pass `budget` or set one with profile.upsertBudgetAndGoals.", {
      issues: [{ field: "budget", message: "is required when the profile has no monthly budget" }],
    });
  }
  // The slow part (pool query, preselection, the solve) runs before any transaction opens.
  const planned = await planOutfits(ctx.db, person, { month: request.month, budgetMinor, outfitCount: request.outfitCount, includeItemIds: request.includeItemIds });
  const outfits = planned.solution.outfits.map((c) => c.items.map((id) => planned.items.get(id)!));
  const planId = await withTransaction(ctx, async (tx) => {
    const id = await plansRepo.insertPlan(tx.db, {
      plan: {
        userId: ctx.actor.userId,
        kind: request.kind,
        month: request.month,
        budgetMinor,
        totalMinor: planned.solution.spentMinor,
        currency: "USD",
        season: planned.season,
        summary: planSummary(outfits, person),
        solver: {
          status: planned.solution.status,
          gap: planned.solution.gap,
          objective: planned.solution.objective,
          bound: planned.solution.bound,
          timeMs: planned.solution.timeMs,
          variables: planned.solution.variables,
          constraints: planned.solution.constraints,
          ...planned.stats,
        },
      },
      outfits: outfits.map((items, i, all) => ({
        name: uniqueNames(all)[i]!,
        why: outfitWhy(items, planned.season, person),
        items: items.map((item) => ({ productId: item.id, slot: roleOf(item), priceMinor: item.priceMinor, owned: item.owned })),
      })),
    });
    await audit(tx, {
      eventType: "plan.created",
      entityType: "plan",
      entityId: id,
      payload: { kind: request.kind, month: request.month, outfitCount: request.outfitCount, budgetMinor, totalMinor: planned.solution.spentMinor, solverStatus: planned.solution.status },
    });
    return id;
  });
  return toPlanView(ctx, (await plansRepo.findUserPlan(ctx.db, ctx.actor.userId, planId))!);
}

export function toPlanView(ctx: Pick<Context, "appBaseUrl">, detail: plansRepo.PlanDetail): PlanView {
  const { plan } = detail;
  const wears = new Map<string, { title: string; priceMinor: number; owned: boolean; wears: number }>();
  for (const outfit of detail.outfits) {
    for (const item of outfit.items) {
      const entry = wears.get(item.productId) ?? { title: item.title, priceMinor: item.priceMinor, owned: item.owned, wears: 0 };
      entry.wears += 1;
      wears.set(item.productId, entry);
    }
  }
  const currency = plan.currency;
  const budget = plan.budgetMinor ?? plan.totalMinor;
  const solver = (plan.solver ?? {}) as Record<string, unknown>;
  return {
    planId: plan.id,
    kind: plan.kind,
    month: plan.month ?? "",
    season: plan.season ?? "",
    budget: money(budget, currency),
    total: money(plan.totalMinor, currency),
    budgetLeft: money(budget - plan.totalMinor, currency),
    outfitCount: detail.outfits.length,
    summary: plan.summary ?? "",
    outfits: detail.outfits.map((outfit) => ({
      outfitId: outfit.id,
      name: outfit.name,
      why: outfit.why,
      items: outfit.items.map((item) => ({ itemId: item.productId, title: item.title, role: item.slot, owned: item.owned })),
      value: money(outfit.items.reduce((sum, i) => sum + i.priceMinor, 0), currency),
    })),
    newItems: [...wears]
      .filter(([, e]) => !e.owned)
      .map(([itemId, e]) => ({ itemId, title: e.title, price: money(e.priceMinor, currency), wears: e.wears, costPerWear: money(Math.round(e.priceMinor / e.wears), currency) }))
      .sort((a, b) => b.wears - a.wears || a.costPerWear.amountMinor - b.costPerWear.amountMinor),
    ownedItems: [...wears].filter(([, e]) => e.owned).map(([itemId, e]) => ({ itemId, title: e.title, wears: e.wears })),
    solver: {
      status: String(solver.status ?? "optimal"),
      gap: Number(solver.gap ?? 0),
      timeMs: Number(solver.timeMs ?? 0),
      candidates: Number(solver.candidates ?? 0),
      poolSize: Number(solver.poolSize ?? 0),
    },
    createdAt: plan.createdAt.toISOString(),
    pageUrl: `${ctx.appBaseUrl}/plans/${plan.id}`,
  };
}

/** Outfit names, each told apart from the ones before it. */
function uniqueNames(outfits: readonly PlanItem[][]): string[] {
  const taken = new Set<string>();
  return outfits.map((items) => {
    const name = outfitName(items, taken);
    taken.add(name);
    return name;
  });
}

/** What a piece of each role is called in a sentence. */
const ROLE_NOUNS: Record<Role, string> = { top: "top", bottom: "bottom", dress: "dress", shoes: "pair of shoes", outerwear: "piece of outerwear", accessory: "accessory" };

/**
 * The best replacement for one piece: same role (or the requested category), keeping the outfit wearable
 * and in season, in the user's sizes, not disliked, and the plan within budget; closest in style to the
 * removed piece (shared colours, style tags, formality) and best liked.
 */
async function swap(ctx: UserContext, input: { outfitId: string; removeItemId: string; replacementCategory?: string }) {
  const planId = await plansRepo.findOutfitPlanId(ctx.db, ctx.actor.userId, input.outfitId);
  if (!planId) throw notFound("outfit", input.outfitId);
  const detail = (await plansRepo.findUserPlan(ctx.db, ctx.actor.userId, planId))!;
  const outfit = detail.outfits.find((o) => o.id === input.outfitId)!;
  const removed = outfit.items.find((i) => i.productId === input.removeItemId);
  if (!removed) throw notFound("item in this outfit", input.removeItemId);
  const { person } = await personOf(ctx);
  const season = (detail.plan.season ?? "spring") as Season;
  const budget = detail.plan.budgetMinor ?? detail.plan.totalMinor;
  const usedElsewhere = detail.outfits.some((o) => o.id !== outfit.id && o.items.some((i) => i.productId === removed.productId));
  const inPlan = new Map(detail.outfits.flatMap((o) => o.items.map((i) => [i.productId, i] as const)));
  const freed = removed.owned || usedElsewhere ? 0 : removed.priceMinor;
  const headroom = budget - detail.plan.totalMinor + freed;
  const rest = outfit.items.filter((i) => i.productId !== removed.productId);
  const wanted = input.replacementCategory;
  const accessory = accessoryNeedOf(outfit.items);

  const [index, ratings] = await Promise.all([catalogIndexFor(ctx.db), feedbackRepo.ratingsOf(ctx.db, ctx.actor.userId)]);
  const pool = candidatePool(index, ratings, { season, maxPriceMinor: 2_000_000_000, styleTags: person.styleTags, departments: person.departments, accessorySubcategories: accessory?.subcategories, perCategory: 400, cheapPerCategory: 100 });
  const pieceOf = (i: (typeof outfit.items)[number]) => asPlanItem({ ...i, id: i.productId }, i.owned, (ratings.get(i.productId) ?? 0) > 0, person);
  const restItems = rest.map(pieceOf);
  // The plan's outfits stay distinct: a replacement that would repeat another outfit is no replacement.
  const outfitKey = (ids: readonly string[]) => [...ids].sort().join("|");
  const otherOutfits = new Set(detail.outfits.filter((o) => o.id !== outfit.id).map((o) => outfitKey(o.items.map((i) => i.productId))));
  const removedRole = roleOf({ category: removed.category, subcategory: removed.subcategory });
  const matches = (row: { category: string; subcategory: string }) => (wanted ? row.category === wanted || row.subcategory === wanted : roleOf(row) === removedRole);
  // A piece takes the place of one of its own role: a top alone cannot stand in for a dress.
  const wantedRoles = wanted ? new Set(pool.filter(matches).map(roleOf)) : null;
  if (wantedRoles && wantedRoles.size > 0 && !wantedRoles.has(removedRole)) {
    const noun = ROLE_NOUNS[removedRole];
    throw new AppError(
      "validation",
      `Invalid replacementCategory: ${wanted} cannot take the place of the ${nounOf(removed)}. An outfit is top + bottom + shoes, or dress + shoes, so a ${noun} is replaced by another ${noun}: name a kind of ${noun}, or leave replacementCategory out.`,
      { issues: [{ field: "replacementCategory", message: `a ${noun} is replaced by another ${noun}` }] },
    );
  }
  const scored = pool
    .filter((row) => row.id !== removed.productId && !rest.some((i) => i.productId === row.id) && row.rating >= 0)
    .filter(matches)
    .filter((row) => inSeason(row, season))
    .filter((row) => {
      const fit = sizeFit(row, person.sizes);
      return !(fit.known && fit.size === null);
    })
    .map((row) => {
      const already = inPlan.get(row.id);
      const owned = already?.owned ?? false;
      const extra = owned || already ? 0 : row.priceMinor;
      const candidate = asPlanItem(row, owned, row.rating > 0, person);
      const items = [...restItems, candidate];
      if (outfitProblem(items, season, accessory) !== null || extra > headroom) return null;
      if (otherOutfits.has(outfitKey([...rest.map((i) => i.productId), row.id]))) return null;
      const style = row.colors.filter((c) => removed.colors.includes(c)).length + row.styleTags.filter((t) => removed.styleTags.includes(t)).length * 0.5 - Math.abs(row.formality - removed.formality);
      return { row, candidate, extra, score: qualityOf(items, person) + style - extra / Math.max(budget, 1) };
    })
    .filter((x): x is NonNullable<typeof x> => x !== null)
    .sort((a, b) => b.score - a.score || a.row.priceMinor - b.row.priceMinor || (a.row.id < b.row.id ? -1 : 1));
  const best = scored[0];
  if (!best) {
    throw new AppError(
      "validation",
      `Invalid ${wanted ? "replacementCategory" : "removeItemId"}: no ${wanted ?? nounOf(removed)} in your sizes fits this outfit for ${season} within the ${money(headroom, detail.plan.currency).formatted} left in the budget.`,
      { issues: [{ field: wanted ? "replacementCategory" : "removeItemId", message: "no compatible replacement within the budget" }] },
    );
  }
  const items = [...restItems, best.candidate];
  const totalMinor = detail.plan.totalMinor - freed + best.extra;
  // The plan's sentence is about all its outfits (anchor colour, liked pieces, the goals' occasion): said again.
  const planItems = detail.outfits.map((o) => (o.id === outfit.id ? items : o.items.map(pieceOf)));
  await withTransaction(ctx, async (tx) => {
    await plansRepo.swapOutfitItem(tx.db, {
      planId,
      outfitId: outfit.id,
      removeItemId: removed.productId,
      add: { productId: best.row.id, slot: roleOf(best.row), priceMinor: inPlan.get(best.row.id)?.priceMinor ?? best.row.priceMinor, owned: best.candidate.owned },
      name: outfitName(items, new Set(detail.outfits.filter((o) => o.id !== outfit.id).map((o) => o.name))),
      why: outfitWhy(items, season, person),
      totalMinor,
      summary: planSummary(planItems, person),
    });
    await audit(tx, { eventType: "plan.item_swapped", entityType: "outfit", entityId: outfit.id, payload: { planId, removed: removed.productId, added: best.row.id, totalMinor } });
  });
  const view = toPlanView(ctx, (await plansRepo.findUserPlan(ctx.db, ctx.actor.userId, planId))!);
  const delta = totalMinor - detail.plan.totalMinor;
  const changed =
    `Swapped ${removed.title} for ${best.row.title} in "${outfitName(items)}"; the plan now costs ${view.total.formatted} ` +
    `(${delta === 0 ? "unchanged" : `${delta > 0 ? "+" : "−"}${money(Math.abs(delta), detail.plan.currency).formatted}`}), ${view.budgetLeft.formatted} left.`;
  return { ...view, changed };
}
