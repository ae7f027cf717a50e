import { z } from "zod";
import * as approvalsRepo from "@/db/repos/approvals";
import type { ApprovalStatus } from "@/db/schema";
import { audit } from "../audit";
import { canMove, sourcesOf } from "../checkout/state";
import { defineProcedure, WRITE_IDEMPOTENT } from "./define";

/** The four Checkout events of the contract; anything else is acknowledged and ignored. */
export const HANDLED_EVENTS = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
] as const;

export const checkoutEventInput = z.object({
  eventId: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  session: z
    .object({
      id: z.string().min(1).max(255),
      amountTotal: z.number().int().nullable(),
      currency: z.string().nullable(),
      paymentStatus: z.string().nullable(),
      clientReferenceId: z.string().max(255).nullable(),
      metadata: z.record(z.string(), z.string()),
    })
    .nullable()
    .describe("The Checkout Session of the event; null for events about other objects"),
});

const outcomes = ["applied", "duplicate", "ignored", "stale", "mismatch", "unknown_approval"] as const;

/**
 * A verified Stripe event, applied once. The event id is claimed in the same transaction as the state
 * change, so a redelivery (or 20 concurrent ones) changes nothing twice. A payment is cross-checked
 * against the snapshot (session, amount, currency, basket hash): a mismatch is recorded, audited and
 * alerted, never marked paid. Served at no door: only the webhook endpoint runs it, after the signature.
 */
export const applyCheckoutEvent = defineProcedure({
  name: "payments.applyCheckoutEvent",
  title: "Apply a Stripe Checkout event",
  description: "Settles an approval from a verified Stripe webhook event (webhook actor only).",
  scopes: [],
  input: checkoutEventInput,
  output: z.object({ outcome: z.enum(outcomes), approvalId: z.string().nullable(), status: z.string().nullable() }),
  annotations: WRITE_IDEMPOTENT,
  doors: [],
  actors: ["webhook"],
  handler: async (ctx, input) => {
    const session = input.session;
    const claimed = await approvalsRepo.claimWebhookEvent(ctx.db, {
      eventId: input.eventId,
      type: input.type,
      // Only what identifies the payment: no e-mail, name or address is kept.
      payload: session ? { sessionId: session.id, amountTotal: session.amountTotal, currency: session.currency, paymentStatus: session.paymentStatus } : {},
    });
    if (!claimed) return { outcome: "duplicate" as const, approvalId: null, status: null };
    const settle = async (outcome: (typeof outcomes)[number], approvalId: string | null, status: string | null) => {
      await approvalsRepo.settleWebhookEvent(ctx.db, input.eventId, outcome, approvalId);
      return { outcome, approvalId, status };
    };
    if (!session || !(HANDLED_EVENTS as readonly string[]).includes(input.type)) return settle("ignored", null, null);

    const approval = await approvalsRepo.findApprovalForSession(ctx.db, session.id, session.metadata.approvalId ?? session.clientReferenceId);
    if (!approval) {
      ctx.log.warn({ eventId: input.eventId, type: input.type }, "stripe event for no known approval");
      return settle("unknown_approval", null, null);
    }
    const target = targetOf(input.type, session.paymentStatus);
    if (!target) return settle("ignored", approval.id, approval.status);

    const movesMoney = target === "paid" || target === "payment_pending";
    // A page closed for a session we never recorded (one expired right after a race) is no news.
    if (!movesMoney && approval.stripeCheckoutSessionId !== session.id) return settle("ignored", approval.id, approval.status);
    const problems = crossCheck(approval, session);
    if (problems.length > 0) {
      await approvalsRepo.recordDiscrepancy(ctx.db, approval.id, { eventId: input.eventId, sessionId: session.id, problems, recordedAt: ctx.now().toISOString() });
      await audit(ctx, { eventType: "approval.payment_mismatch", entityType: "approval", entityId: approval.id, payload: { eventType: input.type, problems } });
      // An alert: the log pipeline pages on this message (docs: the runbook's "payment mismatch").
      ctx.log.error({ approvalId: approval.id, eventId: input.eventId, problems }, "ALERT payment does not match the approved basket");
      return settle("mismatch", approval.id, approval.status);
    }
    if (!canMove(approval.status, target)) return settle("stale", approval.id, approval.status);

    const now = ctx.now();
    const moved = await approvalsRepo.transitionApproval(ctx.db, approval.id, sourcesOf(target), {
      status: target,
      ...(target === "paid" ? { paidAt: now, paidAmountMinor: session.amountTotal, closedAt: null } : {}),
      ...(target === "expired" || target === "payment_failed" ? { closedAt: now } : {}),
    });
    if (!moved) return settle("stale", approval.id, approval.status);
    await audit(ctx, {
      eventType: "approval.status_changed",
      entityType: "approval",
      entityId: approval.id,
      payload: { from: approval.status, to: target, stripeEventType: input.type, stripeEventId: input.eventId },
    });
    if (target === "paid") {
      const items = await approvalsRepo.listApprovalItems(ctx.db, approval.id);
      await approvalsRepo.addToWardrobe(ctx.db, approval.userId, approval.id, items.map((i) => ({ productId: i.productId, size: i.size })));
    }
    return settle("applied", approval.id, target);
  },
});

function targetOf(type: string, paymentStatus: string | null): ApprovalStatus | null {
  switch (type) {
    case "checkout.session.completed":
      return paymentStatus === "paid" || paymentStatus === "no_payment_required" ? "paid" : "payment_pending";
    case "checkout.session.async_payment_succeeded":
      return "paid";
    case "checkout.session.async_payment_failed":
      return "payment_failed";
    case "checkout.session.expired":
      return "expired";
    default:
      return null;
  }
}

/** What a payment does not match of the approved snapshot; the session must be the one opened for it. */
function crossCheck(approval: approvalsRepo.ApprovalRow, session: NonNullable<z.infer<typeof checkoutEventInput>["session"]>): string[] {
  const problems: string[] = [];
  if (approval.stripeCheckoutSessionId !== session.id) problems.push("checkout session is not the one opened for this approval");
  if (session.amountTotal !== approval.totalMinor) problems.push(`amount ${session.amountTotal} differs from the approved ${approval.totalMinor}`);
  if ((session.currency ?? "").toUpperCase() !== approval.currency.toUpperCase()) problems.push(`currency ${session.currency} differs from ${approval.currency}`);
  if (session.metadata.basketHash !== approval.basketHash) problems.push("basket hash differs from the approved snapshot");
  return problems;
}
