import type { Db } from "@/db/client";
import type { ConsentType } from "@/db/schema";
import * as repo from "@/db/repos/photos";
import { audit } from "../audit";
import type { Context, UserActor } from "../context";
import { AppError } from "../errors";

/**
 * The consents, in the words the user agrees to. A grant records the text's version; changing the
 * wording means a new version, and earlier grants still say what was agreed to.
 */
export const CONSENT_TEXTS: Record<ConsentType, { version: string; title: string; text: string }> = {
  photo_processing: {
    version: "2026-11-photo-v1",
    title: "Processing your photos",
    text:
      "We keep the full-body photos you give us on our own servers, check each one with a pose model that runs on " +
      "our machines (no photo is sent to anyone else), and use them only for your virtual try-ons. You can delete " +
      "them at any time; withdrawing this consent stops all new photo processing at once.",
  },
  tryon: {
    version: "2026-11-tryon-v1",
    title: "Virtual try-on",
    text:
      "We render garments onto your approved photo on our own servers and keep the results in your account until " +
      "you delete them. Withdrawing this consent cancels try-ons that have not started.",
  },
};

export interface ConsentState {
  type: ConsentType;
  granted: boolean;
  /** When the current state began (null: never decided). */
  since: string | null;
  textVersion: string | null;
  source: "mcp" | "site" | null;
}

export async function consentStates(ctx: Context<UserActor>): Promise<ConsentState[]> {
  const latest = await repo.latestConsentEvents(ctx.db, ctx.actor.userId);
  return (Object.keys(CONSENT_TEXTS) as ConsentType[]).map((type) => {
    const e = latest.find((l) => l.consentType === type);
    return { type, granted: e?.action === "granted", since: e?.createdAt.toISOString() ?? null, textVersion: e?.textVersion ?? null, source: e?.source ?? null };
  });
}

export async function hasConsent(ctx: Context<UserActor>, type: ConsentType): Promise<boolean> {
  return (await grantedConsents(ctx.db, ctx.actor.userId)).has(type);
}

/** The consents granted now (each type's latest event is a grant); for callers without a user context, like the worker. */
export async function grantedConsents(db: Db, userId: string): Promise<Set<ConsentType>> {
  const latest = await repo.latestConsentEvents(db, userId);
  return new Set(latest.filter((e) => e.action === "granted").map((e) => e.consentType));
}

/**
 * Grants or revokes one consent: appends to the ledger (a repeat of the current state appends
 * nothing), audits it, and on revoking stops what depended on it (queued try-ons fail as
 * `consent_revoked`). Run inside a transaction; the per-user lock orders it against ingests.
 */
export async function changeConsent(
  ctx: Context<UserActor>,
  type: ConsentType,
  action: "granted" | "revoked",
): Promise<{ changed: boolean; cancelledJobs: number }> {
  if (!ctx.inTransaction) throw new Error("changeConsent runs inside a transaction");
  await repo.lockConsents(ctx.db, ctx.actor.userId);
  const current = (await consentStates(ctx)).find((s) => s.type === type)!;
  // Granting what is granted, or revoking what is not (never granted or already revoked): nothing to record.
  if (current.granted === (action === "granted")) return { changed: false, cancelledJobs: 0 };
  const source = ctx.actor.via === "mcp" ? "mcp" : "site";
  await repo.appendConsentEvent(ctx.db, { userId: ctx.actor.userId, consentType: type, action, textVersion: CONSENT_TEXTS[type].version, source, at: ctx.now() });
  let cancelledJobs = 0;
  if (action === "revoked") cancelledJobs = await repo.cancelQueuedTryons(ctx.db, ctx.actor.userId);
  await audit(ctx, {
    eventType: `consent.${action}`,
    entityType: "consent",
    entityId: type,
    payload: { textVersion: CONSENT_TEXTS[type].version, source, ...(cancelledJobs ? { cancelledJobs } : {}) },
  });
  return { changed: true, cancelledJobs };
}

export function consentRequired(type: ConsentType): AppError {
  return new AppError(
    "consent_required",
    type === "photo_processing"
      ? "Photo processing needs the user's consent: ask them, then call again with consentGranted: true, or let them grant it on the consent page."
      : "Virtual try-on needs the user's consent: they can grant it on the consent page.",
  );
}
