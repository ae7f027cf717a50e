import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { feedback } from "../schema";

export type FeedbackRow = typeof feedback.$inferSelect;

/** One rating per user and item: the latest replaces the previous one. */
export async function upsertRating(db: Db, userId: string, productId: string, rating: number): Promise<FeedbackRow> {
  const [row] = await db
    .insert(feedback)
    .values({ userId, productId, rating })
    .onConflictDoUpdate({
      target: [feedback.userId, feedback.productId],
      set: { rating, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

export async function findRating(db: Db, userId: string, productId: string): Promise<FeedbackRow | undefined> {
  const rows = await db
    .select()
    .from(feedback)
    .where(and(eq(feedback.userId, userId), eq(feedback.productId, productId)))
    .limit(1);
  return rows[0];
}

/** The user's latest ratings, newest first: what personal ranking reads. */
export async function recentRatings(db: Db, userId: string, limit = 200): Promise<Array<{ productId: string; rating: number }>> {
  return db
    .select({ productId: feedback.productId, rating: feedback.rating })
    .from(feedback)
    .where(eq(feedback.userId, userId))
    .orderBy(sql`${feedback.updatedAt} desc`)
    .limit(limit);
}

/** Every rating of the user, by product id: what the planner's pool reads (rated down: never chosen). */
export async function ratingsOf(db: Db, userId: string): Promise<Map<string, number>> {
  const rows = await db.select({ productId: feedback.productId, rating: feedback.rating }).from(feedback).where(eq(feedback.userId, userId));
  return new Map(rows.map((r) => [r.productId, r.rating]));
}
