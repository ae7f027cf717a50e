import { z } from "zod";
import * as approvalsRepo from "@/db/repos/approvals";
import * as plansRepo from "@/db/repos/plans";
import { findProfile } from "@/db/repos/profiles";
import { audit } from "../audit";
import { assertAllowedRedirects, redirectUrlSchema } from "../checkout/redirects";
import { basketHash, monthStart, sizeFromProfile, totalOf, type SnapshotLine } from "../checkout/basket";
import { approvalSchema, toApprovalView } from "../checkout/view";
import type { Context, UserContext } from "../context";
import { hashToken, newLinkToken, seal, unseal } from "../crypto";
import { AppError, notFound } from "../errors";
import { money, moneySchema } from "../money";
import { itemIdSchema } from "./catalog";
import { defineProcedure, idempotencyKeySchema, WRITE } from "./define";

/** How long a link stays valid. Stripe Checkout sessions live at most 24 hours too. */
export const APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;
const TOKEN_SEAL = "approval-link-token";
const MAX_ITEMS = 50;

// ---- schemas -------------------------------------------------------------------------------------

export const budgetPositionSchema = z.object({
  monthly: moneySchema.describe("The user's monthly budget"),
  committedThisMonth: moneySchema.describe("This month's paid and pending approvals, without this basket"),
  remainingAfter: moneySchema.describe("What is left of the month's budget after this basket (negative when over)"),
  overBudget: z.boolean(),
});

export const createApprovalLinkInput = z.strictObject({
  itemIds: z
    .array(itemIdSchema)
    .min(1, "must list at least one item")
    .max(MAX_ITEMS, `at most ${MAX_ITEMS} items`)
    .optional()
    .describe("Catalog item ids for the basket; an id listed twice means two of that item. Or give outfitId or planId"),
  outfitId: z.uuid("is not an outfit id").optional().describe("A planned outfit: its pieces the user does not own yet become the basket"),
  planId: z.uuid("is not a plan id").optional().describe("A plan: all its new pieces become the basket"),
  notes: z.string().trim().max(1000, "must be at most 1000 characters").optional().describe("A note shown to the user on the approval page"),
  allowOverBudget: z
    .boolean()
    .default(false)
    .describe("Create the link even when the basket goes over the monthly budget (only when the user said so)"),
  successUrl: redirectUrlSchema.optional().describe("Where Stripe sends the user after paying (an allowed site; ours by default)"),
  cancelUrl: redirectUrlSchema.optional().describe("Where Stripe sends the user when they leave checkout (an allowed site; ours by default)"),
  idempotencyKey: idempotencyKeySchema.optional(),
});

const createApprovalLinkOutput = approvalSchema.extend({
  approvalUrl: z.string().describe("The link to give the user: they sign in there, review and pay"),
  sizesToChoose: z.number().int().describe("Items whose size the user picks on the page (not known from the profile)"),
  budget: budgetPositionSchema.nullable().describe("Null when the user has no monthly budget set"),
});
type CreatedLink = z.infer<typeof createApprovalLinkOutput>;

// ---- procedures ----------------------------------------------------------------------------------

export const createApprovalLink = defineProcedure({
  name: "checkout.createApprovalLink",
  title: "Create an approval link",
  description:
    "Prepare a basket for the user to approve and pay on the Stylist site. Takes catalog item ids (from search), " +
    "or an outfitId or planId from planning (their pieces the user does not own yet), snapshots their prices and the user's sizes, and returns `approvalUrl`, a link valid for 24 " +
    "hours. Give the link to the user: they sign in, review and pay through Stripe there; you never pay. " +
    "Refused with budget_exceeded when the basket and this month's other orders go over the monthly budget, " +
    "unless the user asked to go over it (`allowOverBudget`). Check progress with orders.getApprovalStatus. " +
    "Pass an idempotencyKey so a retry returns the same link instead of a second basket.",
  scopes: ["orders:write", "catalog:read"],
  input: createApprovalLinkInput,
  output: createApprovalLinkOutput,
  annotations: WRITE,
  idempotency: {
    // The stored response keeps the link's token sealed with the app secret, never in clear.
    redact: ({ approvalUrl, ...rest }, ctx) => ({ ...rest, sealedUrl: seal(secretsOf(ctx).appSecret, TOKEN_SEAL, approvalUrl) }),
    restore: (stored, ctx) => {
      const { sealedUrl, ...rest } = stored as Omit<CreatedLink, "approvalUrl"> & { sealedUrl: string };
      const approvalUrl = unseal(secretsOf(ctx).appSecret, TOKEN_SEAL, sealedUrl);
      if (approvalUrl === null) throw new AppError("conflict", "This idempotency key's link can no longer be recovered; use a new key.");
      return { ...rest, approvalUrl };
    },
  },
  mcp: {
    invoking: "Preparing your approval link…",
    invoked: "Approval link ready",
    summary: (out) =>
      `Approval link ready: ${out.items.length} item${out.items.length === 1 ? "" : "s"}, ${out.total.formatted}. ` +
      `Ask the user to open ${out.approvalUrl} to review and pay (valid until ${out.expiresAt}).`,
  },
  handler: async (ctx, input) => {
    const secrets = secretsOf(ctx);
    const sources = (["itemIds", "outfitId", "planId"] as const).filter((key) => input[key] !== undefined);
    if (sources.length !== 1) {
      throw new AppError("validation", "Invalid itemIds: give exactly one of itemIds, outfitId or planId.", {
        issues: [{ field: sources[1] ?? "itemIds", message: "give exactly one of itemIds, outfitId or planId" }],
      });
    }
    assertAllowedRedirects({ successUrl: input.successUrl, cancelUrl: input.cancelUrl }, secrets.checkoutRedirectOrigins);
    const userId = ctx.actor.userId;
    await approvalsRepo.lockUser(ctx.db, userId);
    const itemIds = input.itemIds ?? (await plannedBasket(ctx, input.outfitId, input.planId));

    const quantities = new Map<string, number>();
    for (const id of itemIds) quantities.set(id, (quantities.get(id) ?? 0) + 1);
    const products = new Map((await approvalsRepo.findProductsByIds(ctx.db, [...quantities.keys()])).map((p) => [p.id, p]));
    const unknown = [...quantities.keys()].filter((id) => !products.has(id));
    if (unknown.length > 0) {
      throw new AppError("not_found", `No item${unknown.length > 1 ? "s" : ""} with id ${unknown.join(", ")}. Search the catalog for current ids.`);
    }
    const unavailable = itemIds
      .map((id, index) => ({ id, index }))
      .filter(({ id }) => products.get(id)!.sizesInStock.length === 0);
    if (unavailable.length > 0) {
      const ids = [...new Set(unavailable.map((u) => u.id))];
      throw new AppError("validation", `Invalid itemIds: ${ids.join(", ")} ${ids.length > 1 ? "are" : "is"} out of stock.`, {
        issues: unavailable.map((u) => ({ field: `itemIds.${u.index}`, message: `${u.id} is out of stock` })),
      });
    }
    const currencies = new Set([...products.values()].map((p) => p.currency));
    if (currencies.size > 1) {
      throw new AppError("validation", "Invalid itemIds: the items are priced in different currencies; make one basket per currency.", {
        issues: [{ field: "itemIds", message: "items in more than one currency" }],
      });
    }
    const currency = [...currencies][0]!;
    const profile = await findProfile(ctx.db, userId);
    const lines: Array<SnapshotLine & { title: string }> = [...quantities.entries()].map(([id, quantity]) => {
      const product = products.get(id)!;
      return { productId: id, title: product.title, size: sizeFromProfile(product, profile?.sizes ?? {}), unitPriceMinor: product.priceMinor, quantity };
    });
    const totalMinor = totalOf(lines);
    const now = ctx.now();
    const budget = await budgetPosition(ctx, profile?.monthlyBudgetMinor ?? null, currency, totalMinor, now);
    if (budget?.overBudget && !input.allowOverBudget) throw overBudget(budget, totalMinor, currency);

    const token = newLinkToken();
    const row = await approvalsRepo.insertApproval(
      ctx.db,
      {
        userId,
        tokenHash: hashToken(token),
        status: "pending_approval",
        basketHash: basketHash(currency, lines),
        totalMinor,
        currency,
        notes: input.notes || null,
        allowOverBudget: input.allowOverBudget,
        successUrl: input.successUrl ?? null,
        cancelUrl: input.cancelUrl ?? null,
        expiresAt: new Date(now.getTime() + APPROVAL_TTL_MS),
      },
      lines.map((line, position) => ({ ...line, position })),
    );
    await audit(ctx, {
      eventType: "approval.created",
      entityType: "approval",
      entityId: row.id,
      payload: {
        itemCount: lines.length,
        totalMinor,
        currency,
        overBudget: budget?.overBudget ?? false,
        customRedirects: Boolean(input.successUrl || input.cancelUrl),
        source: sources[0],
        ...(input.outfitId ? { outfitId: input.outfitId } : {}),
        ...(input.planId ? { planId: input.planId } : {}),
      },
    });
    const view = toApprovalView(ctx, row, await approvalsRepo.listApprovalItems(ctx.db, row.id));
    return {
      ...view,
      approvalUrl: `${ctx.appBaseUrl}/approve/${token}`,
      sizesToChoose: lines.filter((l) => l.size === null).length,
      budget,
    };
  },
});

// ---- helpers shared by the checkout verbs ------------------------------------------------------------

/** The pieces of a planned outfit or plan that the user does not own yet; someone else's is not found. */
async function plannedBasket(ctx: UserContext, outfitId: string | undefined, planId: string | undefined): Promise<string[]> {
  const id = planId ?? (outfitId ? await plansRepo.findOutfitPlanId(ctx.db, ctx.actor.userId, outfitId) : undefined);
  const plan = id ? await plansRepo.findUserPlan(ctx.db, ctx.actor.userId, id) : undefined;
  if (!plan) throw notFound(outfitId ? "outfit" : "plan", (outfitId ?? planId)!);
  const outfits = outfitId ? plan.outfits.filter((o) => o.id === outfitId) : plan.outfits;
  const ids = [...new Set(outfits.flatMap((o) => o.items.filter((i) => !i.owned).map((i) => i.productId)))];
  if (ids.length === 0) {
    throw new AppError("validation", `Invalid ${outfitId ? "outfitId" : "planId"}: every piece of it is already yours; there is nothing to buy.`, {
      issues: [{ field: outfitId ? "outfitId" : "planId", message: "has no pieces to buy" }],
    });
  }
  return ids;
}

export function secretsOf(ctx: Context): NonNullable<Context["secrets"]> {
  if (!ctx.secrets) throw new Error("checkout needs ctx.secrets (server/http.ts contextFor)");
  return ctx.secrets;
}

export type BudgetPosition = z.infer<typeof budgetPositionSchema>;

/** Where a basket of `totalMinor` leaves the month's budget; null when the user set none. */
export async function budgetPosition(
  ctx: UserContext,
  monthlyMinor: number | null,
  currency: string,
  totalMinor: number,
  now: Date,
  exceptApprovalId?: string,
): Promise<BudgetPosition | null> {
  if (monthlyMinor === null) return null;
  const committed = await approvalsRepo.committedSince(ctx.db, ctx.actor.userId, monthStart(now), now, exceptApprovalId);
  const remaining = monthlyMinor - committed - totalMinor;
  return {
    monthly: money(monthlyMinor, currency),
    committedThisMonth: money(committed, currency),
    remainingAfter: money(remaining, currency),
    overBudget: remaining < 0,
  };
}

export function overBudget(budget: BudgetPosition, totalMinor: number, currency: string): AppError {
  const over = money(-budget.remainingAfter.amountMinor, currency).formatted;
  return new AppError(
    "budget_exceeded",
    `This basket (${money(totalMinor, currency).formatted}) and this month's other orders (${budget.committedThisMonth.formatted}) ` +
      `come to ${money(totalMinor + budget.committedThisMonth.amountMinor, currency).formatted}, ${over} over the monthly budget of ${budget.monthly.formatted}.`,
  );
}
