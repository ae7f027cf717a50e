import { eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { profiles, type PostalAddress, type Sizes } from "../schema";

export type ProfileRow = typeof profiles.$inferSelect;

export async function findProfile(db: Db, userId: string): Promise<ProfileRow | undefined> {
  const rows = await db.select().from(profiles).where(eq(profiles.userId, userId)).limit(1);
  return rows[0];
}

export async function upsertBudgetAndGoals(
  db: Db,
  userId: string,
  values: { monthlyBudgetMinor: number; goals: string[]; styleTags: string[]; departments?: string[] },
): Promise<ProfileRow> {
  const [row] = await db
    .insert(profiles)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: profiles.userId, set: { ...values, updatedAt: sql`now()` } })
    .returning();
  return row!;
}

/** Merges: sizes the user did not mention are kept ("my shoe size is 42" keeps the top size). */
export async function mergeSizes(db: Db, userId: string, sizes: Sizes): Promise<ProfileRow> {
  const [row] = await db
    .insert(profiles)
    .values({ userId, sizes })
    .onConflictDoUpdate({
      target: profiles.userId,
      set: { sizes: sql`${profiles.sizes} || excluded.sizes`, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

export async function setAddress(db: Db, userId: string, address: PostalAddress): Promise<ProfileRow> {
  const [row] = await db
    .insert(profiles)
    .values({ userId, address })
    .onConflictDoUpdate({ target: profiles.userId, set: { address, updatedAt: sql`now()` } })
    .returning();
  return row!;
}
