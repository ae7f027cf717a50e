import type Stripe from "stripe";
import { z } from "zod";
import * as approvalsRepo from "@/db/repos/approvals";
import { findProfile, type ProfileRow } from "@/db/repos/profiles";
import type { ApprovalRow } from "@/db/repos/approvals";
import { audit } from "../audit";
import { basketHash, totalOf } from "../checkout/basket";
import { effectiveStatus } from "../checkout/state";
import { approvalSchema, toApprovalView } from "../checkout/view";
import type { UserContext } from "../context";
import { hashToken } from "../crypto";
import { AppError } from "../errors";
import { money, moneySchema } from "../money";
import type { PaymentGateway } from "../payments/gateway";
import { withTransaction } from "../transaction";
import { budgetPosition, budgetPositionSchema, overBudget } from "./checkout";
import { defineProcedure, READ_ONLY, WRITE, DESTRUCTIVE } from "./define";
import { approvalNotFound, approvalTokenInput, tokenOf } from "./orders";

/** Stripe refuses a Checkout Session that expires sooner than this. */
const STRIPE_MIN_SESSION_MS = 30 * 60 * 1000;

// ---- schemas -------------------------------------------------------------------------------------

const reviewLineSchema = z.object({
  itemId: z.string(),
  title: z.string(),
  brand: z.string(),
  imageUrl: z.string(),
  pageUrl: z.string(),
  quantity: z.number().int(),
  size: z.string().nullable().describe("The size in the snapshot; null when the user must choose"),
  sizeOptions: z.array(z.string()).describe("Sizes in stock now"),
  snapshotUnitPrice: moneySchema,
  currentUnitPrice: moneySchema,
  available: z.boolean().describe("In stock now (in the chosen size, when one is chosen)"),
  changes: z.array(z.string()).describe("What changed since the link was made, in words"),
});

const reviewSchema = approvalSchema.extend({
  lines: z.array(reviewLineSchema),
  currentTotal: moneySchema,
  changed: z.boolean().describe("Prices or stock differ from the snapshot: approving means accepting currentTotal"),
  blockers: z.array(z.string()).describe("Why it cannot be approved now, in words"),
  budget: budgetPositionSchema.nullable(),
  allowOverBudget: z.boolean(),
  checkoutUrl: z.string().nullable(),
});
export type ApprovalReview = z.infer<typeof reviewSchema>;

const approvalIdInput = z.uuid("is not an approval id");

// ---- procedures ----------------------------------------------------------------------------------

export const reviewApproval = defineProcedure({
  name: "approvals.review",
  title: "Review an approval",
  description: "The approval page's view of a link: the snapshot beside current prices and stock, the budget position, and what blocks approval.",
  scopes: ["orders:write"],
  input: z.strictObject({ token: approvalTokenInput }),
  output: reviewSchema,
  annotations: READ_ONLY,
  doors: ["site"],
  handler: async (ctx, input) => {
    const token = tokenOf(input.token);
    const row = token ? await approvalsRepo.findApprovalByTokenHash(ctx.db, hashToken(token)) : undefined;
    if (!row || row.userId !== ctx.actor.userId) throw approvalNotFound();
    return review(ctx, row);
  },
});

export const approveApproval = defineProcedure({
  name: "approvals.approve",
  title: "Approve and pay",
  description:
    "The user approves the basket at `expectedTotal` (the total they were shown) with the sizes they chose, and gets " +
    "a Stripe Checkout page to pay on. Approving twice returns the same checkout page.",
  scopes: ["orders:write"],
  input: z.strictObject({
    approvalId: approvalIdInput,
    sizes: z
      .record(z.string().max(100), z.string().trim().min(1, "choose a size").max(40))
      .default({})
      .describe("Item id → the size chosen on the page"),
    expectedTotalMinor: z.number().int().min(0).describe("The total the user saw and approves, in minor units"),
  }),
  output: z.object({ checkoutUrl: z.string(), approval: approvalSchema }),
  annotations: WRITE,
  doors: ["site"],
  // Reads and writes in short transactions; the Stripe call runs between them, outside any transaction.
  transaction: "none",
  handler: async (ctx, input) => {
    const gateway = gatewayOf(ctx);
    const prepared = await withTransaction(ctx, async (tx) => prepareApproval(tx, input));
    if (prepared.kind === "expired") throw new AppError("conflict", "This approval link has expired. Ask for a new link.");
    if (prepared.kind === "open") return { checkoutUrl: prepared.checkoutUrl, approval: prepared.view };

    let session: Stripe.Checkout.Session;
    try {
      session = await gateway.createCheckoutSession(prepared.params, `approval-${prepared.approvalId}-v${prepared.version}`);
    } catch (error) {
      throw new AppError("internal", "The payment page could not be opened. Please try again in a moment.", { cause: error });
    }
    if (!session.url) throw new AppError("internal", "The payment provider returned no checkout page.");

    const recorded = await withTransaction(ctx, async (tx) => {
      const row = await approvalsRepo.findUserApproval(tx.db, ctx.actor.userId, prepared.approvalId, { forUpdate: true });
      if (!row) throw approvalNotFound();
      if (row.status === "approved" && row.stripeCheckoutSessionId === session.id) return row;
      if (row.status !== "pending_approval" || row.version !== prepared.version) return null;
      const moved = await approvalsRepo.transitionApproval(tx.db, row.id, ["pending_approval"], {
        status: "approved",
        stripeCheckoutSessionId: session.id,
        checkoutUrl: session.url,
        approvedAt: ctx.now(),
      });
      await audit(tx, {
        eventType: "approval.approved",
        entityType: "approval",
        entityId: row.id,
        payload: { version: row.version, totalMinor: row.totalMinor, currency: row.currency, checkoutSessionId: session.id },
      });
      return moved ?? null;
    });
    if (!recorded) {
      // Canceled (or changed) while Stripe was opening the page: close that page so it cannot be paid.
      await gateway.expireCheckoutSession(session.id).catch(() => undefined);
      throw new AppError("conflict", "This approval changed while the payment page was opening. Reload the page and try again.");
    }
    const items = await approvalsRepo.listApprovalItems(ctx.db, recorded.id);
    return { checkoutUrl: session.url, approval: toApprovalView(ctx, recorded, items) };
  },
});

export const cancelApproval = defineProcedure({
  name: "approvals.cancel",
  title: "Cancel an approval",
  description: "The user declines the basket. A checkout page already opened for it is closed so it cannot be paid.",
  scopes: ["orders:write"],
  input: z.strictObject({ approvalId: approvalIdInput }),
  output: approvalSchema,
  annotations: DESTRUCTIVE,
  doors: ["site"],
  transaction: "none",
  handler: async (ctx, input) => {
    const result = await withTransaction(ctx, async (tx) => {
      const row = await approvalsRepo.findUserApproval(tx.db, ctx.actor.userId, input.approvalId, { forUpdate: true });
      if (!row) throw approvalNotFound();
      if (row.status === "canceled") return { row, sessionId: null };
      const status = effectiveStatus(row, ctx.now());
      if (status !== "pending_approval" && status !== "approved") {
        throw new AppError("conflict", `This order is ${status.replace("_", " ")} and can no longer be canceled here.`);
      }
      const moved = await approvalsRepo.transitionApproval(tx.db, row.id, ["pending_approval", "approved"], { status: "canceled", closedAt: ctx.now() });
      await audit(tx, { eventType: "approval.canceled", entityType: "approval", entityId: row.id, payload: { from: row.status } });
      return { row: moved!, sessionId: row.status === "approved" ? row.stripeCheckoutSessionId : null };
    });
    // Marked canceled first, then the open Stripe page is closed: a payment racing this still lands
    // (money that moved is never lost; see server/checkout/state.ts), and the webhook records it.
    if (result.sessionId && ctx.payments) {
      await ctx.payments.expireCheckoutSession(result.sessionId).catch((error: unknown) => {
        ctx.log.warn({ approvalId: result.row.id, error: error instanceof Error ? error.name : "unknown" }, "checkout session could not be expired");
      });
    }
    return toApprovalView(ctx, result.row, await approvalsRepo.listApprovalItems(ctx.db, result.row.id));
  },
});

// ---- helpers -------------------------------------------------------------------------------------

function gatewayOf(ctx: UserContext): PaymentGateway {
  if (!ctx.payments) throw new Error("approvals.approve needs ctx.payments (server/http.ts contextFor)");
  return ctx.payments;
}

/** The snapshot beside the catalog as it is now. */
async function review(
  ctx: UserContext,
  row: ApprovalRow,
  chosenSizes: Record<string, string> = {},
  profile?: ProfileRow,
): Promise<ApprovalReview> {
  const items = await approvalsRepo.listApprovalItems(ctx.db, row.id);
  const products = new Map((await approvalsRepo.findProductsByIds(ctx.db, items.map((i) => i.productId))).map((p) => [p.id, p]));
  const view = toApprovalView(ctx, row, items);
  const lines = items.map((item, index) => {
    const product = products.get(item.productId)!;
    const size = chosenSizes[item.productId] ?? item.size;
    const changes: string[] = [];
    if (product.priceMinor !== item.unitPriceMinor) {
      changes.push(`Price ${product.priceMinor > item.unitPriceMinor ? "rose" : "dropped"} from ${money(item.unitPriceMinor, row.currency).formatted} to ${money(product.priceMinor, product.currency).formatted}`);
    }
    const available = product.sizesInStock.length > 0 && (size === null || product.sizesInStock.includes(size));
    if (product.sizesInStock.length === 0) changes.push("Out of stock");
    else if (size !== null && !product.sizesInStock.includes(size)) changes.push(`Size ${size} is out of stock: choose another`);
    return {
      itemId: item.productId,
      title: item.title,
      brand: product.brand,
      imageUrl: view.items[index]!.imageUrl,
      pageUrl: view.items[index]!.pageUrl,
      quantity: item.quantity,
      size: item.size,
      sizeOptions: product.sizesInStock,
      snapshotUnitPrice: money(item.unitPriceMinor, row.currency),
      currentUnitPrice: money(product.priceMinor, product.currency),
      available,
      changes,
    };
  });
  const currentTotalMinor = totalOf(lines.map((l) => ({ unitPriceMinor: l.currentUnitPrice.amountMinor, quantity: l.quantity })));
  const status = view.status;
  const blockers: string[] = [];
  if (status === "expired") blockers.push("This link has expired.");
  else if (status !== "pending_approval" && status !== "approved") blockers.push(`This basket is ${view.statusText.toLowerCase()}.`);
  if (lines.some((l) => l.sizeOptions.length === 0)) blockers.push("An item is out of stock: ask for a new link without it.");
  profile ??= await findProfile(ctx.db, ctx.actor.userId);
  const budget = await budgetPosition(ctx, profile?.monthlyBudgetMinor ?? null, row.currency, currentTotalMinor, ctx.now(), row.id);
  if (budget?.overBudget && !row.allowOverBudget && status === "pending_approval") {
    blockers.push(`The total is over your monthly budget by ${money(-budget.remainingAfter.amountMinor, row.currency).formatted}.`);
  }
  if (status === "pending_approval" && row.expiresAt.getTime() - ctx.now().getTime() < STRIPE_MIN_SESSION_MS) {
    blockers.push("This link expires in under 30 minutes, too soon to pay: ask for a new link.");
  }
  return {
    ...view,
    lines,
    currentTotal: money(currentTotalMinor, row.currency),
    changed: lines.some((l) => l.changes.length > 0),
    blockers,
    budget,
    allowOverBudget: row.allowOverBudget,
    checkoutUrl: status === "approved" ? row.checkoutUrl : null,
  };
}

type Prepared =
  | { kind: "expired" }
  | { kind: "open"; checkoutUrl: string; view: z.infer<typeof approvalSchema> }
  | { kind: "create"; approvalId: string; version: number; params: Stripe.Checkout.SessionCreateParams };

/**
 * In one short transaction: the approval is the caller's and still open, the chosen sizes are in stock,
 * the total the user saw is the total now (a changed basket becomes a new snapshot version only when the
 * user approved exactly it), the budget holds. Returns what Stripe needs, built from the snapshot only.
 */
async function prepareApproval(
  tx: UserContext,
  input: { approvalId: string; sizes: Record<string, string>; expectedTotalMinor: number },
): Promise<Prepared> {
  const row = await approvalsRepo.findUserApproval(tx.db, tx.actor.userId, input.approvalId, { forUpdate: true });
  if (!row) throw approvalNotFound();
  const now = tx.now();
  const status = effectiveStatus(row, now);
  if (status === "expired") {
    if (row.status !== "expired") {
      await approvalsRepo.transitionApproval(tx.db, row.id, ["pending_approval", "approved"], { status: "expired", closedAt: now });
      await audit(tx, { eventType: "approval.expired", entityType: "approval", entityId: row.id, payload: { from: row.status } });
    }
    return { kind: "expired" };
  }
  if (status === "approved" && row.checkoutUrl) {
    return { kind: "open", checkoutUrl: row.checkoutUrl, view: toApprovalView(tx, row, await approvalsRepo.listApprovalItems(tx.db, row.id)) };
  }
  if (status !== "pending_approval") throw new AppError("conflict", `This basket is already ${status.replace("_", " ")}.`);

  const profile = await findProfile(tx.db, tx.actor.userId);
  const current = await review(tx, row, input.sizes, profile);
  const unknownSizes = Object.keys(input.sizes).filter((id) => !current.lines.some((l) => l.itemId === id));
  const issues = [
    ...unknownSizes.map((id) => ({ field: `sizes.${id}`, message: "is not an item of this basket" })),
    ...current.lines.flatMap((line) => {
      const size = input.sizes[line.itemId] ?? line.size;
      if (size === null) return [{ field: `sizes.${line.itemId}`, message: `choose a size for ${line.title}` }];
      if (!line.sizeOptions.includes(size)) return [{ field: `sizes.${line.itemId}`, message: `size ${size} of ${line.title} is out of stock` }];
      return [];
    }),
  ];
  if (issues.length > 0) throw new AppError("validation", `Invalid ${issues.map((i) => i.field).join(", ")}: ${issues[0]!.message}.`, { issues });
  if (current.currentTotal.amountMinor !== input.expectedTotalMinor) {
    throw new AppError(
      "conflict",
      `The total is now ${current.currentTotal.formatted}, not ${money(input.expectedTotalMinor, row.currency).formatted}: prices changed. Review the new total and approve again.`,
    );
  }
  if (row.expiresAt.getTime() - now.getTime() < STRIPE_MIN_SESSION_MS) {
    throw new AppError("conflict", "This link expires in under 30 minutes, too soon to pay. Ask for a new link.");
  }

  const lines = current.lines.map((line) => ({
    productId: line.itemId,
    title: line.title,
    size: input.sizes[line.itemId] ?? line.size,
    unitPriceMinor: line.currentUnitPrice.amountMinor,
    quantity: line.quantity,
  }));
  let version = row.version;
  let hash = row.basketHash;
  const newHash = basketHash(row.currency, lines);
  if (newHash !== row.basketHash) {
    // The user accepts what they see: new prices and the sizes they picked become the next version.
    if (current.currentTotal.amountMinor > row.totalMinor && current.budget?.overBudget && !row.allowOverBudget) {
      throw overBudget(current.budget, current.currentTotal.amountMinor, row.currency);
    }
    version = row.version + 1;
    hash = newHash;
    await approvalsRepo.replaceSnapshot(tx.db, row.id, {
      version,
      totalMinor: current.currentTotal.amountMinor,
      basketHash: hash,
      items: lines.map((line, position) => ({ ...line, position })),
    });
    await audit(tx, {
      eventType: "approval.basket_confirmed",
      entityType: "approval",
      entityId: row.id,
      payload: { version, fromTotalMinor: row.totalMinor, toTotalMinor: current.currentTotal.amountMinor, priceChanges: current.lines.filter((l) => l.snapshotUnitPrice.amountMinor !== l.currentUnitPrice.amountMinor).length },
    });
  } else if (current.budget?.overBudget && !row.allowOverBudget) {
    throw overBudget(current.budget, row.totalMinor, row.currency);
  }

  const base = tx.appBaseUrl;
  const address = profile?.address;
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: "payment",
    line_items: lines.map((line) => ({
      quantity: line.quantity,
      price_data: {
        currency: row.currency.toLowerCase(),
        unit_amount: line.unitPriceMinor,
        product_data: {
          name: line.size ? `${line.title} (size ${line.size})` : line.title,
          metadata: { productId: line.productId, size: line.size ?? "" },
        },
      },
    })),
    client_reference_id: row.id,
    metadata: { approvalId: row.id, basketHash: hash, version: String(version) },
    ...(tx.actor.email ? { customer_email: tx.actor.email } : {}),
    payment_intent_data: {
      metadata: { approvalId: row.id },
      ...(address
        ? {
            shipping: {
              name: tx.actor.name ?? tx.actor.email ?? "Customer",
              address: {
                line1: address.line1,
                ...(address.line2 ? { line2: address.line2 } : {}),
                city: address.city,
                state: address.state,
                postal_code: address.postalCode,
                country: address.country,
              },
            },
          }
        : {}),
    },
    success_url: row.successUrl ?? `${base}/orders/${row.id}?checkout=success`,
    cancel_url: row.cancelUrl ?? `${base}/orders/${row.id}?checkout=canceled`,
    // Deterministic for a version (so a retry is the same request under Stripe's idempotency key) and
    // never after the approval's own expiry.
    expires_at: Math.floor(row.expiresAt.getTime() / 1000),
  };
  return { kind: "create", approvalId: row.id, version, params };
}
