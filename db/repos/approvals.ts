import { and, asc, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import {
  approvalItems,
  approvals,
  products,
  stripeWebhookEvents,
  users,
  wardrobeItems,
  type ApprovalStatus,
  type PaymentDiscrepancy,
} from "../schema";

export type ApprovalRow = typeof approvals.$inferSelect;
export type ApprovalItemRow = typeof approvalItems.$inferSelect;
export type NewApprovalItem = Omit<ApprovalItemRow, "approvalId">;

/** The statuses that hold part of the month's budget (a pending one only until its link expires). */
const COMMITTED: ApprovalStatus[] = ["pending_approval", "approved", "payment_pending", "paid"];

/**
 * Serialises a user's budget-sensitive writes: two baskets created at the same moment cannot both fit
 * in the same remaining budget. Held until the transaction ends.
 */
export async function lockUser(db: Db, userId: string): Promise<void> {
  await db.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
}

/** What this month's approvals already commit of the budget, in minor units. */
export async function committedSince(db: Db, userId: string, monthStart: Date, now: Date, exceptId?: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${approvals.totalMinor}), 0)` })
    .from(approvals)
    .where(
      and(
        eq(approvals.userId, userId),
        gte(approvals.createdAt, monthStart),
        inArray(approvals.status, COMMITTED),
        sql`(${approvals.status} not in ('pending_approval', 'approved') or ${approvals.expiresAt} > ${now.toISOString()})`,
        exceptId ? sql`${approvals.id} <> ${exceptId}` : undefined,
      ),
    );
  return Number(row?.total ?? 0);
}

export async function insertApproval(
  db: Db,
  approval: typeof approvals.$inferInsert,
  items: NewApprovalItem[],
): Promise<ApprovalRow> {
  const [row] = await db.insert(approvals).values(approval).returning();
  await db.insert(approvalItems).values(items.map((item) => ({ ...item, approvalId: row!.id })));
  return row!;
}

export async function findApprovalByTokenHash(db: Db, tokenHash: string): Promise<ApprovalRow | undefined> {
  const rows = await db.select().from(approvals).where(eq(approvals.tokenHash, tokenHash)).limit(1);
  return rows[0];
}

/** One approval of one user: someone else's is not found, like a missing one. */
export async function findUserApproval(db: Db, userId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<ApprovalRow | undefined> {
  const query = db
    .select()
    .from(approvals)
    .where(and(eq(approvals.id, id), eq(approvals.userId, userId)))
    .limit(1);
  const rows = options.forUpdate ? await query.for("update") : await query;
  return rows[0];
}

export async function findApprovalForSession(db: Db, sessionId: string, approvalId: string | null): Promise<ApprovalRow | undefined> {
  const bySession = await db.select().from(approvals).where(eq(approvals.stripeCheckoutSessionId, sessionId)).limit(1).for("update");
  if (bySession[0] || !approvalId || !/^[0-9a-f-]{36}$/i.test(approvalId)) return bySession[0];
  const byId = await db.select().from(approvals).where(eq(approvals.id, approvalId)).limit(1).for("update");
  return byId[0];
}

export async function listApprovalItems(db: Db, approvalId: string): Promise<ApprovalItemRow[]> {
  return db.select().from(approvalItems).where(eq(approvalItems.approvalId, approvalId)).orderBy(asc(approvalItems.position));
}

export async function listUserApprovals(db: Db, userId: string, limit: number): Promise<Array<ApprovalRow & { itemCount: number; firstItemId: string | null }>> {
  const rows = await db
    .select({
      approval: approvals,
      // Aliased subqueries: unqualified columns would bind to the inner table.
      itemCount: sql<number>`(select coalesce(sum(ai.quantity), 0)::int from approval_items ai where ai.approval_id = "approvals"."id")`,
      firstItemId: sql<string | null>`(select ai.product_id from approval_items ai where ai.approval_id = "approvals"."id" order by ai.position limit 1)`,
    })
    .from(approvals)
    .where(eq(approvals.userId, userId))
    .orderBy(desc(approvals.createdAt))
    .limit(limit);
  return rows.map((r) => ({ ...r.approval, itemCount: Number(r.itemCount), firstItemId: r.firstItemId }));
}

/** Moves an approval to `patch.status` only from one of `from`; undefined when it was elsewhere. */
export async function transitionApproval(
  db: Db,
  id: string,
  from: readonly ApprovalStatus[],
  patch: Partial<Pick<ApprovalRow, "status" | "stripeCheckoutSessionId" | "checkoutUrl" | "approvedAt" | "paidAt" | "closedAt" | "paidAmountMinor">>,
): Promise<ApprovalRow | undefined> {
  const [row] = await db
    .update(approvals)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(approvals.id, id), inArray(approvals.status, [...from])))
    .returning();
  return row;
}

/** A new version of the snapshot, after the user accepted current prices and chosen sizes. */
export async function replaceSnapshot(
  db: Db,
  id: string,
  snapshot: { version: number; totalMinor: number; basketHash: string; items: NewApprovalItem[] },
): Promise<void> {
  await db
    .update(approvals)
    .set({ version: snapshot.version, totalMinor: snapshot.totalMinor, basketHash: snapshot.basketHash, updatedAt: sql`now()` })
    .where(eq(approvals.id, id));
  await db.delete(approvalItems).where(eq(approvalItems.approvalId, id));
  await db.insert(approvalItems).values(snapshot.items.map((item) => ({ ...item, approvalId: id })));
}

export async function recordDiscrepancy(db: Db, id: string, discrepancy: PaymentDiscrepancy): Promise<void> {
  await db.update(approvals).set({ discrepancy, updatedAt: sql`now()` }).where(eq(approvals.id, id));
}

/**
 * Claims a Stripe event id. False when it was already claimed: by an earlier delivery, or by a concurrent
 * one (the insert waits for that transaction and then finds the row).
 */
export async function claimWebhookEvent(db: Db, event: { eventId: string; type: string; payload: Record<string, unknown> }): Promise<boolean> {
  const rows = await db.insert(stripeWebhookEvents).values(event).onConflictDoNothing().returning({ eventId: stripeWebhookEvents.eventId });
  return rows.length === 1;
}

export async function settleWebhookEvent(db: Db, eventId: string, outcome: string, approvalId: string | null): Promise<void> {
  await db
    .update(stripeWebhookEvents)
    .set({ outcome, approvalId, processedAt: sql`now()` })
    .where(eq(stripeWebhookEvents.eventId, eventId));
}

export async function addToWardrobe(db: Db, userId: string, approvalId: string, items: Array<{ productId: string; size: string | null }>): Promise<void> {
  if (items.length === 0) return;
  await db
    .insert(wardrobeItems)
    .values(items.map((item) => ({ userId, approvalId, productId: item.productId, size: item.size })))
    .onConflictDoNothing();
}

export async function findProductsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.select().from(products).where(inArray(products.id, [...ids]));
}
