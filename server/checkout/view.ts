import { z } from "zod";
import type { ApprovalItemRow, ApprovalRow } from "@/db/repos/approvals";
import { APPROVAL_STATUSES, type ApprovalStatus } from "@/db/schema";
import { productImagePath, productPagePath } from "../catalog/links";
import type { Context } from "../context";
import { money, moneySchema } from "../money";
import { effectiveStatus, STATUS_WORDS } from "./state";

/** An approval as callers see it, at both doors: the snapshot, its state and what happens next. */
export const approvalItemSchema = z.object({
  itemId: z.string(),
  title: z.string(),
  size: z.string().nullable().describe("The size to ship; null until the user picks it on the approval page"),
  quantity: z.number().int(),
  unitPrice: moneySchema,
  lineTotal: moneySchema,
  imageUrl: z.string(),
  pageUrl: z.string(),
});

export const approvalSchema = z.object({
  approvalId: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  statusText: z.string().describe("The status in words, for the user"),
  items: z.array(approvalItemSchema),
  total: moneySchema,
  notes: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string().describe("ISO time after which the link no longer works"),
  approvedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  closedAt: z.string().nullable().describe("When it was canceled, expired or failed"),
  updatedAt: z.string(),
  nextStep: z.string().describe("What the user should do now, in one sentence"),
});
export type ApprovalView = z.infer<typeof approvalSchema>;

export function toApprovalView(ctx: Pick<Context, "appBaseUrl" | "now">, row: ApprovalRow, items: ApprovalItemRow[]): ApprovalView {
  const status = effectiveStatus(row, ctx.now());
  return {
    approvalId: row.id,
    status,
    statusText: STATUS_WORDS[status],
    items: items.map((item) => ({
      itemId: item.productId,
      title: item.title,
      size: item.size,
      quantity: item.quantity,
      unitPrice: money(item.unitPriceMinor, row.currency),
      lineTotal: money(item.unitPriceMinor * item.quantity, row.currency),
      imageUrl: `${ctx.appBaseUrl}${productImagePath(item.productId)}`,
      pageUrl: `${ctx.appBaseUrl}${productPagePath(item.productId)}`,
    })),
    total: money(row.totalMinor, row.currency),
    notes: row.notes,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    approvedAt: row.approvedAt?.toISOString() ?? null,
    paidAt: row.paidAt?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    nextStep: NEXT_STEP[status],
  };
}

const NEXT_STEP: Record<ApprovalStatus, string> = {
  pending_approval: "The user opens the approval link, signs in, reviews the basket and approves it to pay.",
  approved: "The user approved the basket and is paying on Stripe Checkout; check again in a minute.",
  payment_pending: "The payment was submitted and is processing (bank debits can take a few days); nothing to do yet.",
  paid: "Paid. The order is confirmed; the items are in the user's wardrobe.",
  payment_failed: "The payment failed. Create a new approval link if the user still wants these items.",
  expired: "The link expired before payment. Create a new approval link if the user still wants these items.",
  canceled: "The user canceled this basket. Create a new approval link if they change their mind.",
};
