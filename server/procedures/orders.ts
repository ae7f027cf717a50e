import { z } from "zod";
import * as approvalsRepo from "@/db/repos/approvals";
import { APPROVAL_STATUSES } from "@/db/schema";
import { audit } from "../audit";
import { productImagePath } from "../catalog/links";
import { effectiveStatus, STATUS_WORDS } from "../checkout/state";
import { approvalSchema, toApprovalView } from "../checkout/view";
import { hashToken } from "../crypto";
import { AppError } from "../errors";
import { money, moneySchema } from "../money";
import { withTransaction } from "../transaction";
import { defineProcedure, READ_ONLY } from "./define";

// ---- schemas -------------------------------------------------------------------------------------

export const approvalTokenInput = z
  .string()
  .trim()
  .min(1, "is required")
  .max(500, "is not an approval token")
  .describe("The token at the end of the approval link (the whole link is accepted too)");

const orderSummarySchema = z.object({
  approvalId: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  statusText: z.string(),
  itemCount: z.number().int(),
  total: moneySchema,
  imageUrl: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  pageUrl: z.string(),
});

// ---- procedures ----------------------------------------------------------------------------------

export const getApprovalStatus = defineProcedure({
  name: "orders.getApprovalStatus",
  title: "Check an approval's status",
  description:
    "Where a basket the user was sent to approve stands: pending_approval (not yet approved), approved (paying " +
    "on Stripe), payment_pending (a bank payment processing), paid, payment_failed, expired or canceled, with " +
    "items, total, timestamps and the next step. Pass the token from the approval link (or the whole link). " +
    "Call it when the user says they paid or asks about an order; do not poll in a loop.",
  scopes: ["orders:write"],
  input: z.strictObject({ token: approvalTokenInput }),
  output: approvalSchema,
  annotations: READ_ONLY,
  // Every check is audited, found or not (a stream of misses is someone guessing links): no transaction
  // around the lookup, so a miss can commit its audit row and still answer not_found.
  transaction: "none",
  mcp: {
    invoking: "Checking the order…",
    invoked: "Order status",
    summary: (out) => `${out.statusText}: ${out.items.length} item${out.items.length === 1 ? "" : "s"}, ${out.total.formatted}. ${out.nextStep}`,
  },
  handler: async (ctx, input) => {
    const token = tokenOf(input.token);
    const found = await withTransaction(ctx, async (tx) => {
      const row = token ? await approvalsRepo.findApprovalByTokenHash(tx.db, hashToken(token)) : undefined;
      const mine = row && row.userId === ctx.actor.userId ? row : undefined;
      await audit(tx, {
        eventType: "approval.status_checked",
        entityType: "approval",
        entityId: mine?.id ?? "unknown",
        payload: mine ? { status: effectiveStatus(mine, ctx.now()) } : { outcome: "not_found" },
      });
      return mine ? { row: mine, items: await approvalsRepo.listApprovalItems(tx.db, mine.id) } : null;
    });
    if (!found) throw approvalNotFound();
    return toApprovalView(ctx, found.row, found.items);
  },
});

export const listOrders = defineProcedure({
  name: "orders.list",
  title: "List your orders",
  description: "The signed-in user's approval links and orders, newest first, with status and total (the site's /orders page).",
  scopes: ["orders:write"],
  input: z.strictObject({ limit: z.number().int().min(1).max(100, "must be at most 100").default(50) }),
  output: z.object({ orders: z.array(orderSummarySchema) }),
  annotations: READ_ONLY,
  doors: ["site"],
  handler: async (ctx, input) => {
    const rows = await approvalsRepo.listUserApprovals(ctx.db, ctx.actor.userId, input.limit);
    return {
      orders: rows.map((row) => {
        const status = effectiveStatus(row, ctx.now());
        return {
          approvalId: row.id,
          status,
          statusText: STATUS_WORDS[status],
          itemCount: row.itemCount,
          total: money(row.totalMinor, row.currency),
          imageUrl: row.firstItemId ? `${ctx.appBaseUrl}${productImagePath(row.firstItemId)}` : null,
          createdAt: row.createdAt.toISOString(),
          expiresAt: row.expiresAt.toISOString(),
          pageUrl: `${ctx.appBaseUrl}/orders/${row.id}`,
        };
      }),
    };
  },
});

export const getOrder = defineProcedure({
  name: "orders.get",
  title: "One order",
  description: "One of the signed-in user's orders by id (the page Stripe returns the user to). Reads state only.",
  scopes: ["orders:write"],
  input: z.strictObject({ approvalId: z.uuid("is not an order id") }),
  output: approvalSchema.extend({ checkoutUrl: z.string().nullable().describe("Stripe's page while the payment is open") }),
  annotations: READ_ONLY,
  doors: ["site"],
  handler: async (ctx, input) => {
    const row = await approvalsRepo.findUserApproval(ctx.db, ctx.actor.userId, input.approvalId);
    if (!row) throw approvalNotFound();
    const view = toApprovalView(ctx, row, await approvalsRepo.listApprovalItems(ctx.db, row.id));
    return { ...view, checkoutUrl: view.status === "approved" ? row.checkoutUrl : null };
  },
});

// ---- helpers -------------------------------------------------------------------------------------

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The token of a link or a bare token; null when it cannot be one (answered like an unknown token). */
export function tokenOf(value: string): string | null {
  const candidate = value.includes("/") ? (value.split(/[?#]/)[0]!.split("/").filter(Boolean).pop() ?? "") : value;
  return TOKEN.test(candidate) ? candidate : null;
}

/** The same answer for an unknown, malformed or someone else's link: nothing is revealed. */
export function approvalNotFound(): AppError {
  return new AppError("not_found", "No approval link matches this token for your account. Check the link, or create a new one.");
}
