import { desc, eq, inArray } from "drizzle-orm";
import { strToU8, zipSync, type Zippable } from "fflate";
import {
  approvalItems,
  approvals,
  auditEvents,
  consentEvents,
  feedback,
  outfitItems,
  outfits,
  photoSets,
  photos,
  plans,
  profiles,
  tryonJobAttempts,
  tryonJobs,
  users,
  wardrobeItems,
} from "@/db/schema";
import { audit } from "../audit";
import type { Context, UserActor } from "../context";
import { photoServices } from "../photos/services";
import { userKey } from "../photos/storage";
import { withTransaction } from "../transaction";

/**
 * Everything we hold about one user, as one ZIP: JSON files (profile, consent history, ratings, plans
 * with outfits, photo metadata and validation reports, try-ons, approvals and orders, wardrobe, the
 * audit trail of their own actions) and the files (photos and renders). Every query is by this user's
 * id; secrets stay out (approval token hashes, checkout URLs).
 */
export async function exportAccount(ctx: Context<UserActor>): Promise<{ zip: Uint8Array; files: number }> {
  const userId = ctx.actor.userId;
  const db = ctx.db;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  const [profile] = await db.select().from(profiles).where(eq(profiles.userId, userId));
  const consentHistory = await db.select().from(consentEvents).where(eq(consentEvents.userId, userId)).orderBy(consentEvents.createdAt);
  const ratings = await db.select().from(feedback).where(eq(feedback.userId, userId));
  const planRows = await db.select().from(plans).where(eq(plans.userId, userId)).orderBy(desc(plans.createdAt));
  const outfitRows = await db.select().from(outfits).where(eq(outfits.userId, userId));
  const outfitItemRows = outfitRows.length ? await db.select().from(outfitItems).where(inArray(outfitItems.outfitId, outfitRows.map((o) => o.id))) : [];
  const sets = await db.select().from(photoSets).where(eq(photoSets.userId, userId));
  const photoRows = await db.select().from(photos).where(eq(photos.userId, userId));
  const jobs = await db.select().from(tryonJobs).where(eq(tryonJobs.userId, userId));
  const attempts = jobs.length ? await db.select().from(tryonJobAttempts).where(inArray(tryonJobAttempts.jobId, jobs.map((j) => j.id))) : [];
  const approvalRows = await db.select().from(approvals).where(eq(approvals.userId, userId));
  const approvalItemRows = approvalRows.length ? await db.select().from(approvalItems).where(inArray(approvalItems.approvalId, approvalRows.map((a) => a.id))) : [];
  const wardrobe = await db.select().from(wardrobeItems).where(eq(wardrobeItems.userId, userId));
  const trail = await db.select().from(auditEvents).where(eq(auditEvents.actorUserId, userId)).orderBy(auditEvents.occurredAt);

  const json = (value: unknown) => strToU8(JSON.stringify(value, null, 2));
  const files: Zippable = {
    "README.txt": strToU8(
      `Everything Stylist holds about ${userId}, exported ${ctx.now().toISOString()}.\n` +
        "JSON files hold your records; photos/ holds your photos and try-on renders as stored (JPEG, without metadata).\n",
    ),
    "account.json": json({ user, profile: profile ?? null }),
    "consents.json": json(consentHistory),
    "ratings.json": json(ratings),
    "plans.json": json(planRows.map((p) => ({ ...p, outfits: outfitRows.filter((o) => o.planId === p.id).map((o) => ({ ...o, items: outfitItemRows.filter((i) => i.outfitId === o.id) })) }))),
    "photos.json": json(sets.map((s) => ({ ...s, photos: photoRows.filter((p) => p.photoSetId === s.id) }))),
    "tryons.json": json(jobs.map((j) => ({ ...j, attempts: attempts.filter((a) => a.jobId === j.id) }))),
    "approvals.json": json(
      approvalRows.map(({ tokenHash: _hash, checkoutUrl: _url, ...a }) => ({ ...a, items: approvalItemRows.filter((i) => i.approvalId === a.id) })),
    ),
    "wardrobe.json": json(wardrobe),
    "activity.json": json(trail),
  };
  const assets = photoServices(ctx).assets;
  let count = 0;
  for (const key of await assets.list(`photos/${userKey(userId)}`)) {
    const stored = await assets.get(key);
    if (!stored) continue;
    files[key] = [new Uint8Array(stored.bytes), { level: 0 }];
    count++;
  }
  return { zip: zipSync(files), files: count };
}

/**
 * Erases the account: every row of the user (profile, ratings, plans, photos, consents, try-ons,
 * approvals, wardrobe: all cascade from the user) in one transaction, then every stored file. The
 * audit trail keeps that it happened, with counts only.
 */
export async function eraseAccount(ctx: Context<UserActor>): Promise<{ files: number; photoSets: number }> {
  const userId = ctx.actor.userId;
  const sets = await withTransaction(ctx, async (tx) => {
    const rows = await tx.db.select({ id: photoSets.id }).from(photoSets).where(eq(photoSets.userId, userId));
    await tx.db.delete(users).where(eq(users.id, userId));
    await audit(tx, { eventType: "account.erased", entityType: "user", entityId: userId, payload: { photoSets: rows.length } });
    return rows.length;
  });
  const assets = photoServices(ctx).assets;
  const keys = await assets.list(`photos/${userKey(userId)}`);
  for (const key of keys) await assets.delete(key);
  return { files: keys.length, photoSets: sets };
}
