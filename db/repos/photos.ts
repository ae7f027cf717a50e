import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { consentEvents, photoSets, photos, tryonJobs, type ConsentType } from "../schema";

export type ConsentEventRow = typeof consentEvents.$inferSelect;
export type PhotoSetRow = typeof photoSets.$inferSelect;
export type PhotoRow = typeof photos.$inferSelect;

// ---- the consent ledger -----------------------------------------------------------------------------

export async function appendConsentEvent(
  db: Db,
  event: { userId: string; consentType: ConsentType; action: "granted" | "revoked"; textVersion: string; source: "mcp" | "site"; at: Date },
): Promise<ConsentEventRow> {
  const [row] = await db
    .insert(consentEvents)
    .values({ userId: event.userId, consentType: event.consentType, action: event.action, textVersion: event.textVersion, source: event.source, createdAt: event.at })
    .returning();
  return row!;
}

/** The latest event of each consent type: the current state is derived, never stored. */
export async function latestConsentEvents(db: Db, userId: string): Promise<ConsentEventRow[]> {
  return db
    .selectDistinctOn([consentEvents.consentType])
    .from(consentEvents)
    .where(eq(consentEvents.userId, userId))
    .orderBy(consentEvents.consentType, desc(consentEvents.createdAt), desc(consentEvents.id));
}

export async function consentHistory(db: Db, userId: string, limit = 200): Promise<ConsentEventRow[]> {
  return db.select().from(consentEvents).where(eq(consentEvents.userId, userId)).orderBy(desc(consentEvents.createdAt), desc(consentEvents.id)).limit(limit);
}

/** Serialises consent changes and the work that depends on them, per user (transaction-scoped lock). */
export async function lockConsents(db: Db, userId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('consent:' || ${userId}))`);
}

/** Queued try-on jobs stop at once when their consent goes: they fail as `consent_revoked`. */
export async function cancelQueuedTryons(db: Db, userId: string): Promise<number> {
  const rows = await db
    .update(tryonJobs)
    .set({ status: "failed", error: "consent_revoked", updatedAt: sql`now()` })
    .where(and(eq(tryonJobs.userId, userId), eq(tryonJobs.status, "queued")))
    .returning({ id: tryonJobs.id });
  return rows.length;
}

// ---- photo sets -------------------------------------------------------------------------------------

export async function insertPhotoSet(
  db: Db,
  set: { id: string; userId: string; source: PhotoSetRow["source"] },
  rows: Array<Omit<typeof photos.$inferInsert, "photoSetId" | "userId">>,
): Promise<PhotoRow[]> {
  await db.insert(photoSets).values(set);
  return insertPhotos(db, set, rows);
}

/** Photos into an existing set (the caller checked it is the user's). */
export async function insertPhotos(
  db: Db,
  set: { id: string; userId: string },
  rows: Array<Omit<typeof photos.$inferInsert, "photoSetId" | "userId">>,
): Promise<PhotoRow[]> {
  if (rows.length === 0) return [];
  return db
    .insert(photos)
    .values(rows.map((r) => ({ ...r, photoSetId: set.id, userId: set.userId })))
    .returning();
}

export async function findPhotoSet(db: Db, userId: string, photoSetId: string): Promise<(PhotoSetRow & { photos: PhotoRow[] }) | undefined> {
  const [set] = await db.select().from(photoSets).where(and(eq(photoSets.id, photoSetId), eq(photoSets.userId, userId))).limit(1);
  if (!set) return undefined;
  const rows = await db.select().from(photos).where(eq(photos.photoSetId, set.id)).orderBy(asc(photos.createdAt), asc(photos.id));
  return { ...set, photos: rows };
}

export async function listPhotoSets(db: Db, userId: string): Promise<Array<PhotoSetRow & { photos: PhotoRow[] }>> {
  const sets = await db.select().from(photoSets).where(eq(photoSets.userId, userId)).orderBy(desc(photoSets.createdAt), desc(photoSets.id));
  if (sets.length === 0) return [];
  const rows = await db
    .select()
    .from(photos)
    .where(inArray(photos.photoSetId, sets.map((s) => s.id)))
    .orderBy(asc(photos.createdAt), asc(photos.id));
  return sets.map((s) => ({ ...s, photos: rows.filter((p) => p.photoSetId === s.id) }));
}

/** Deletes the set (its photos and try-on jobs cascade) and says which stored files were its. */
export async function deletePhotoSet(db: Db, userId: string, photoSetId: string): Promise<{ photos: number; storageKeys: string[]; outputKeys: string[] } | undefined> {
  const set = await findPhotoSet(db, userId, photoSetId);
  if (!set) return undefined;
  const jobs = await db.select({ outputRefs: tryonJobs.outputRefs }).from(tryonJobs).where(eq(tryonJobs.photoSetId, photoSetId));
  await db.delete(photoSets).where(and(eq(photoSets.id, photoSetId), eq(photoSets.userId, userId)));
  const outputKeys = jobs.map((j) => j.outputRefs?.["storageKey"]).filter((k): k is string => typeof k === "string");
  return { photos: set.photos.length, storageKeys: set.photos.map((p) => p.storageKey).filter((k): k is string => !!k), outputKeys };
}

export async function findUserPhoto(db: Db, userId: string, photoId: string): Promise<PhotoRow | undefined> {
  const [row] = await db.select().from(photos).where(and(eq(photos.id, photoId), eq(photos.userId, userId))).limit(1);
  return row;
}

/** One primary photo per user: the one try-on uses unless told otherwise. */
export async function setPrimaryPhoto(db: Db, userId: string, photoId: string): Promise<PhotoRow | undefined> {
  if (!(await findUserPhoto(db, userId, photoId))) return undefined;
  await db.update(photos).set({ isPrimary: false }).where(and(eq(photos.userId, userId), eq(photos.isPrimary, true)));
  const [updated] = await db.update(photos).set({ isPrimary: true }).where(eq(photos.id, photoId)).returning();
  return updated;
}

export async function hasPrimaryPhoto(db: Db, userId: string): Promise<boolean> {
  const rows = await db.select({ id: photos.id }).from(photos).where(and(eq(photos.userId, userId), eq(photos.isPrimary, true))).limit(1);
  return rows.length > 0;
}
