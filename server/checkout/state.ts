import type { ApprovalStatus } from "@/db/schema";

/**
 * The approval state machine, forward only. Stripe may deliver events late, twice or out of order;
 * a transition not listed here is stale and ignored. Money that moved wins: a matching payment still
 * lands on an approval the user canceled or that expired a moment before (the order must be refunded
 * or shipped, never lost), and nothing leaves `paid`.
 */
const NEXT: Record<ApprovalStatus, readonly ApprovalStatus[]> = {
  pending_approval: ["approved", "canceled", "expired"],
  approved: ["payment_pending", "paid", "expired", "canceled"],
  payment_pending: ["paid", "payment_failed"],
  paid: [],
  payment_failed: [],
  expired: ["payment_pending", "paid"],
  canceled: ["payment_pending", "paid"],
};

export function canMove(from: ApprovalStatus, to: ApprovalStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses from which `to` may be reached: the guard of a conditional UPDATE. */
export function sourcesOf(to: ApprovalStatus): ApprovalStatus[] {
  return (Object.keys(NEXT) as ApprovalStatus[]).filter((from) => NEXT[from].includes(to));
}

/** A link past its expiry is expired even before anything records it. */
export function effectiveStatus(row: { status: ApprovalStatus; expiresAt: Date }, now: Date): ApprovalStatus {
  if ((row.status === "pending_approval" || row.status === "approved") && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return row.status;
}

export const STATUS_WORDS: Record<ApprovalStatus, string> = {
  pending_approval: "Waiting for your approval",
  approved: "Approved: waiting for payment",
  payment_pending: "Payment processing",
  paid: "Paid",
  payment_failed: "Payment failed",
  expired: "Expired",
  canceled: "Canceled",
};
