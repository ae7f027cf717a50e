import { randomUUID } from "node:crypto";
import * as repo from "@/db/repos/photos";
import { audit } from "../audit";
import type { Context, UserActor } from "../context";
import { AppError, notFound, type ValidationIssue } from "../errors";
import { withTransaction } from "../transaction";
import { changeConsent, consentRequired, hasConsent } from "./consent";
import { FetchRefused, safeFetch } from "./fetch";
import { ImageRejected, normalizePhoto } from "./image";
import { judgeFullBody, type ValidationReport } from "./pose";
import { photoServices } from "./services";
import { photoSetPrefix } from "./storage";

/** Where a photo comes from; `field` names the input field for error messages (`photoUrls.1`). */
export type PhotoSource =
  | { kind: "url"; field: string; url: string; fileId?: string }
  | { kind: "bytes"; field: string; bytes: Uint8Array }
  | { kind: "reference"; field: string; fileId: string };

export interface IngestedPhoto {
  photoId: string;
  fileId: string | null;
  status: "pending" | "approved" | "rejected";
  reason: string;
  failures: ValidationReport["failures"];
  scores: ValidationReport["scores"] | null;
}

export interface IngestResult {
  ok: boolean;
  photoSetId: string;
  fileCount: number;
  approvedPhotoCount: number;
  rejectedPhotoCount: number;
  pendingPhotoCount: number;
  reason?: "full_body_photo_required";
  photos: IngestedPhoto[];
  nextStep?: string;
  portalUrl: string;
}

const REFERENCE_ONLY = "Only the ChatGPT file id reached us, not the image: upload the photo on the photo portal.";

/**
 * Takes photos in: consent first (nothing is fetched without it), then the slow work outside any
 * transaction (fetch with SSRF guards, decode and re-encode without metadata, the pose model), then
 * the approved photos' files, then one short transaction (the consent grant when given, the set, its
 * photos, the audit event). A photo that cannot be read fails the whole call with a `validation` error
 * naming its field and stores nothing; a rejected photo keeps its report but not its image.
 */
export async function ingestPhotos(
  ctx: Context<UserActor>,
  args: { sources: PhotoSource[]; consentGranted: boolean; source: "chatgpt_upload" | "import" | "site_upload"; addToPhotoSetId?: string },
): Promise<IngestResult> {
  const services = photoServices(ctx);
  if (!args.consentGranted && !(await hasConsent(ctx, "photo_processing"))) throw consentRequired("photo_processing");

  type Examined = { photoId: string; fileId: string | null; report: ValidationReport | null; jpeg?: Buffer; width?: number; height?: number };
  const examined: Examined[] = [];
  const issues: ValidationIssue[] = [];
  for (const src of args.sources) {
    if (src.kind === "reference") {
      examined.push({ photoId: randomUUID(), fileId: src.fileId, report: null });
      continue;
    }
    try {
      const bytes = src.kind === "url" ? (await safeFetch(src.url, services.fetchPolicy)).bytes : src.bytes;
      const photo = await normalizePhoto(bytes);
      const pose = await services.pose.detect(photo.pose.rgb, photo.pose.width, photo.pose.height);
      const report = judgeFullBody(pose);
      // Keypoints in the stored image's pixels.
      const scale = photo.width / photo.pose.width;
      report.keypoints = report.keypoints.map((k) => ({ ...k, x: Math.round(k.x * scale), y: Math.round(k.y * scale) }));
      examined.push({ photoId: randomUUID(), fileId: src.kind === "url" ? (src.fileId ?? null) : null, report, jpeg: photo.jpeg, width: photo.width, height: photo.height });
    } catch (error) {
      if (error instanceof FetchRefused || error instanceof ImageRejected) issues.push({ field: src.field, message: error.message });
      else throw error;
    }
  }
  if (issues.length > 0) throw new AppError("validation", `Photo input refused: ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`, { issues });

  const photoSetId = args.addToPhotoSetId ?? randomUUID();
  const prefix = photoSetPrefix(ctx.actor.userId, photoSetId);
  const keep = examined.filter((e) => e.report?.status === "approved");
  const keyOf = (e: Examined) => `${prefix}/${e.photoId}.jpg`;
  for (const e of keep) await services.assets.put(keyOf(e), e.jpeg!, "image/jpeg");

  try {
    await withTransaction(ctx, async (tx) => {
      await repo.lockConsents(tx.db, tx.actor.userId);
      if (args.consentGranted) await changeConsent(tx, "photo_processing", "granted");
      // Consent withdrawn while the photos were being examined: nothing is stored.
      else if (!(await hasConsent(tx, "photo_processing"))) throw consentRequired("photo_processing");
      const primaryTaken = await repo.hasPrimaryPhoto(tx.db, tx.actor.userId);
      const firstApproved = keep[0]?.photoId;
      // Adding to a set: only one of the caller's own (another user's set is not_found).
      if (args.addToPhotoSetId && !(await repo.findPhotoSet(tx.db, tx.actor.userId, args.addToPhotoSetId))) throw notFound("photo set", args.addToPhotoSetId);
      await (args.addToPhotoSetId ? repo.insertPhotos : repo.insertPhotoSet)(
        tx.db,
        { id: photoSetId, userId: tx.actor.userId, source: args.source },
        examined.map((e) => ({
          id: e.photoId,
          fileId: e.fileId,
          storageKey: e.report?.status === "approved" ? keyOf(e) : null,
          isPrimary: !primaryTaken && e.photoId === firstApproved,
          validationStatus: e.report?.status ?? "pending",
          validationReport: e.report ? { ...e.report } : { status: "pending", reason: REFERENCE_ONLY },
          contentType: e.report?.status === "approved" ? "image/jpeg" : null,
          width: e.width ?? null,
          height: e.height ?? null,
          byteSize: e.report?.status === "approved" ? e.jpeg!.length : null,
        })),
      );
      await audit(tx, {
        eventType: "photos.ingested",
        entityType: "photo_set",
        entityId: photoSetId,
        payload: {
          source: args.source,
          files: examined.length,
          approved: keep.length,
          rejected: examined.filter((e) => e.report?.status === "rejected").length,
          pending: examined.filter((e) => !e.report).length,
        },
      });
    });
  } catch (error) {
    for (const e of keep) await services.assets.delete(keyOf(e)).catch(() => undefined);
    throw error;
  }

  const approved = keep.length;
  const rejected = examined.filter((e) => e.report?.status === "rejected").length;
  const pending = examined.length - approved - rejected;
  const portalUrl = new URL("/photos", ctx.appBaseUrl).toString();
  const none = approved === 0 && rejected > 0;
  return {
    ok: !none,
    photoSetId,
    fileCount: examined.length,
    approvedPhotoCount: approved,
    rejectedPhotoCount: rejected,
    pendingPhotoCount: pending,
    ...(none ? { reason: "full_body_photo_required" as const } : {}),
    photos: examined.map((e) => ({
      photoId: e.photoId,
      fileId: e.fileId,
      status: e.report?.status ?? "pending",
      reason: e.report?.reason ?? REFERENCE_ONLY,
      failures: e.report?.failures ?? [],
      scores: e.report?.scores ?? null,
    })),
    ...(none
      ? { nextStep: "Ask for a photo showing the whole body, head to feet, standing, alone in the frame; or send the user to the photo portal." }
      : pending > 0 && approved === 0
        ? { nextStep: `The images themselves did not reach us. Ask the user to upload them at ${portalUrl}.` }
        : {}),
    portalUrl,
  };
}

/** Removes a set: rows (photos and try-on jobs cascade) in one transaction, then every stored file under it. */
export async function deletePhotoSet(ctx: Context<UserActor>, photoSetId: string): Promise<{ photoSetId: string; deleted: boolean; photosDeleted: number; filesDeleted: number }> {
  const services = photoServices(ctx);
  const removed = await withTransaction(ctx, async (tx) => {
    const gone = await repo.deletePhotoSet(tx.db, tx.actor.userId, photoSetId);
    if (!gone) return null;
    await audit(tx, { eventType: "photos.deleted", entityType: "photo_set", entityId: photoSetId, payload: { photos: gone.photos, renders: gone.outputKeys.length } });
    return gone;
  });
  if (!removed) return { photoSetId, deleted: false, photosDeleted: 0, filesDeleted: 0 };
  // Files after the commit: a failed transaction leaves the files, never rows pointing at nothing.
  const prefix = photoSetPrefix(ctx.actor.userId, photoSetId);
  const keys = new Set([...removed.storageKeys, ...removed.outputKeys, ...(await services.assets.list(prefix))]);
  for (const key of keys) await services.assets.delete(key);
  return { photoSetId, deleted: true, photosDeleted: removed.photos, filesDeleted: keys.size };
}
