import { z } from "zod";
import { and, eq } from "drizzle-orm";
import * as repo from "@/db/repos/photos";
import { auditEvents, CONSENT_TYPES } from "@/db/schema";
import { audit } from "../audit";
import type { Context, UserActor } from "../context";
import { AppError, notFound } from "../errors";
import { CONSENT_TEXTS, changeConsent, consentStates } from "../photos/consent";
import { deletePhotoSet, ingestPhotos as ingest, type PhotoSource } from "../photos/ingest";
import { signedAssetUrl } from "../photos/storage";
import { defineProcedure, DESTRUCTIVE, READ_ONLY, WRITE, WRITE_IDEMPOTENT } from "./define";

// ---- schemas -------------------------------------------------------------------------------------

const MAX_PHOTOS = 10;
const fileId = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");
const photoUrl = z
  .string()
  .trim()
  .max(2048, "must be at most 2048 characters")
  .pipe(z.url({ protocol: /^https?$/, error: "must be an https URL" }));

/** A file the user attached in ChatGPT, as the host passes it to a tool that declares `openai/fileParams`. */
const chatGptFile = z.object({
  download_url: photoUrl,
  file_id: fileId,
  mime_type: z.string().max(100).optional(),
  file_name: z.string().max(255).optional(),
});

const scoresSchema = z.object({ body: z.number(), head: z.number(), leftAnkle: z.number(), rightAnkle: z.number(), personHeight: z.number() });
const failureSchema = z.enum(["no_person", "more_than_one_person", "head_not_visible", "left_ankle_not_visible", "right_ankle_not_visible", "not_upright", "person_too_small"]);
const statusSchema = z.enum(["pending", "approved", "rejected"]);

const ingestOutput = z.object({
  ok: z.boolean(),
  photoSetId: z.string(),
  fileCount: z.number().int(),
  approvedPhotoCount: z.number().int(),
  rejectedPhotoCount: z.number().int(),
  pendingPhotoCount: z.number().int(),
  reason: z.literal("full_body_photo_required").optional(),
  photos: z.array(
    z.object({ photoId: z.string(), fileId: z.string().nullable(), status: statusSchema, reason: z.string(), failures: z.array(failureSchema), scores: scoresSchema.nullable() }),
  ),
  nextStep: z.string().optional(),
  portalUrl: z.string(),
});

// ---- tools ---------------------------------------------------------------------------------------

export const ingestPhotos = defineProcedure({
  name: "profile.ingestPhotos",
  title: "Add full-body photos",
  description:
    "Take in the user's full-body photos for virtual try-on. Pass photos the user attached in the conversation as " +
    "`photos` (file objects), or https `photoUrls`; `fileIds` alone are recorded as references and the user is sent to " +
    "the photo portal to upload the images. Requires the user's consent to photo processing: ask them first, then pass " +
    "`consentGranted: true` (recorded in their consent history); without it and without an earlier grant the call fails " +
    "with `consent_required` and stores nothing. Each photo is checked on our servers by a pose model (head and both " +
    "ankles in the frame, standing, one person); rejected photos are not kept. Returns `ok: false` with " +
    "`reason: \"full_body_photo_required\"` when none passes, with the reason for each.",
  scopes: ["photos:write"],
  input: z
    .strictObject({
      fileIds: z.array(fileId).max(MAX_PHOTOS, `at most ${MAX_PHOTOS} files`).default([]),
      photoUrls: z.array(photoUrl).max(MAX_PHOTOS, `at most ${MAX_PHOTOS} URLs`).optional(),
      photos: z.array(chatGptFile).max(MAX_PHOTOS, `at most ${MAX_PHOTOS} files`).optional(),
      consentGranted: z.boolean(),
      source: z.enum(["chatgpt_upload", "import"]),
    })
    .superRefine((input, issue) => {
      const count = new Set([...input.fileIds, ...(input.photos ?? []).map((p) => p.file_id)]).size + (input.photoUrls?.length ?? 0);
      if (count === 0) issue.addIssue({ code: "custom", path: ["photos"], message: "give at least one photo (photos, photoUrls or fileIds)" });
      if (count > MAX_PHOTOS) issue.addIssue({ code: "custom", path: ["photos"], message: `at most ${MAX_PHOTOS} photos in one call` });
    }),
  output: ingestOutput,
  // It fetches the URLs it is given from the internet: an open-world tool for the host.
  annotations: { ...WRITE, openWorldHint: true },
  transaction: "none",
  mcp: {
    invoking: "Checking your photos…",
    invoked: "Photos checked",
    fileParams: ["photos"],
    summary: (o) =>
      o.ok
        ? `${o.approvedPhotoCount} of ${o.fileCount} photos approved for try-on (photo set ${o.photoSetId}).`
        : `No full-body photo passed: ${o.photos.map((p) => p.reason).join(" ")}`,
  },
  handler: async (ctx, input) => {
    const sources: PhotoSource[] = [];
    const attached = new Set<string>();
    (input.photos ?? []).forEach((f, i) => {
      attached.add(f.file_id);
      sources.push({ kind: "url", field: `photos.${i}.download_url`, url: f.download_url, fileId: f.file_id });
    });
    (input.photoUrls ?? []).forEach((url, i) => sources.push({ kind: "url", field: `photoUrls.${i}`, url }));
    input.fileIds.forEach((id, i) => {
      if (!attached.has(id)) sources.push({ kind: "reference", field: `fileIds.${i}`, fileId: id });
    });
    return ingest(ctx, { sources, consentGranted: input.consentGranted, source: input.source });
  },
});

const photoSetIdInput = z.uuid("is not a photo set id");

export const deletePhotos = defineProcedure({
  name: "profile.deletePhotos",
  title: "Delete a photo set",
  description:
    "Delete one of the user's photo sets for good: its photos, their stored files and every try-on made from them. " +
    "Deleting a set that was already deleted succeeds with `deleted: false`.",
  scopes: ["photos:write"],
  input: z.strictObject({ photoSetId: photoSetIdInput }),
  output: z.object({ photoSetId: z.string(), deleted: z.boolean(), photosDeleted: z.number().int(), filesDeleted: z.number().int() }),
  annotations: DESTRUCTIVE,
  transaction: "none",
  mcp: { invoking: "Deleting photos…", invoked: "Photos deleted" },
  handler: async (ctx, input) => {
    const result = await deletePhotoSet(ctx, input.photoSetId);
    if (!result.deleted && !(await deletedBefore(ctx, input.photoSetId))) throw notFound("photo set", input.photoSetId);
    return result;
  },
});

/** The user deleted this set earlier (their audit trail says so): a repeat is not an error. */
async function deletedBefore(ctx: Context<UserActor>, photoSetId: string): Promise<boolean> {
  const rows = await ctx.db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(eq(auditEvents.actorUserId, ctx.actor.userId), eq(auditEvents.eventType, "photos.deleted"), eq(auditEvents.entityId, photoSetId)))
    .limit(1);
  return rows.length > 0;
}

// ---- the photo portal (site only) ----------------------------------------------------------------

const photoView = z.object({
  photoId: z.string(),
  status: statusSchema,
  reason: z.string(),
  failures: z.array(z.string()),
  isPrimary: z.boolean(),
  /** A short-lived link to the image on our origin; null when no image is kept (rejected, or a reference). */
  imageUrl: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  createdAt: z.string(),
});

export const listPhotos = defineProcedure({
  name: "photos.list",
  title: "Your photos",
  description: "The photo portal's view: every photo set of the user with each photo's validation result and a short-lived image link.",
  scopes: ["photos:write"],
  input: z.strictObject({}),
  output: z.object({
    sets: z.array(z.object({ photoSetId: z.string(), source: z.string(), createdAt: z.string(), photos: z.array(photoView) })),
  }),
  annotations: READ_ONLY,
  doors: ["site"],
  handler: async (ctx) => {
    const sets = await repo.listPhotoSets(ctx.db, ctx.actor.userId);
    const secret = ctx.secrets?.appSecret;
    return {
      sets: sets.map((s) => ({
        photoSetId: s.id,
        source: s.source,
        createdAt: s.createdAt.toISOString(),
        photos: s.photos.map((p) => ({
          photoId: p.id,
          status: p.validationStatus,
          reason: String(p.validationReport?.["reason"] ?? ""),
          failures: Array.isArray(p.validationReport?.["failures"]) ? (p.validationReport["failures"] as string[]) : [],
          isPrimary: p.isPrimary,
          imageUrl: p.storageKey && secret ? signedAssetUrl(ctx.appBaseUrl, secret, p.storageKey, ctx.actor.userId, ctx.now()) : null,
          width: p.width,
          height: p.height,
          createdAt: p.createdAt.toISOString(),
        })),
      })),
    };
  },
});

/** Base64 of an image of at most 15 MB (about 20 MB of text). */
const base64Image = z
  .string()
  .max(20_500_000, "the image must be at most 15 MB")
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64");

export const uploadPhotos = defineProcedure({
  name: "photos.upload",
  title: "Upload photos",
  description: "The photo portal's upload: images from the browser, checked like any other photo.",
  scopes: ["photos:write"],
  input: z.strictObject({
    files: z.array(z.strictObject({ data: base64Image })).min(1, "choose at least one photo").max(MAX_PHOTOS, `at most ${MAX_PHOTOS} photos at once`),
    consentGranted: z.boolean().default(false),
    /** Add to this set (the portal sends a multi-photo upload one photo per request, into one set). */
    photoSetId: z.uuid("is not a photo set id").optional(),
  }),
  output: ingestOutput,
  annotations: WRITE,
  doors: ["site"],
  transaction: "none",
  handler: async (ctx, input) =>
    ingest(ctx, {
      sources: input.files.map((f, i) => ({ kind: "bytes" as const, field: `files.${i}`, bytes: Buffer.from(f.data, "base64") })),
      consentGranted: input.consentGranted,
      source: "site_upload",
      addToPhotoSetId: input.photoSetId,
    }),
});

export const setPrimaryPhoto = defineProcedure({
  name: "photos.setPrimary",
  title: "Choose the primary photo",
  description: "Make one approved photo the one try-on uses.",
  scopes: ["photos:write"],
  input: z.strictObject({ photoId: z.uuid("is not a photo id") }),
  output: z.object({ photoId: z.string(), isPrimary: z.literal(true) }),
  annotations: WRITE_IDEMPOTENT,
  doors: ["site"],
  handler: async (ctx, input) => {
    const photo = await repo.findUserPhoto(ctx.db, ctx.actor.userId, input.photoId);
    if (!photo) throw notFound("photo", input.photoId);
    if (photo.validationStatus !== "approved") throw new AppError("validation", "Only an approved full-body photo can be the primary one.", { issues: [{ field: "photoId", message: "this photo was not approved" }] });
    await repo.setPrimaryPhoto(ctx.db, ctx.actor.userId, input.photoId);
    await audit(ctx, { eventType: "photos.primary_set", entityType: "photo", entityId: input.photoId });
    return { photoId: input.photoId, isPrimary: true as const };
  },
});

// ---- consent (site only) -------------------------------------------------------------------------

const consentType = z.enum(CONSENT_TYPES, { error: `must be one of ${CONSENT_TYPES.join(", ")}` });
const consentView = z.object({
  type: consentType,
  title: z.string(),
  text: z.string(),
  textVersion: z.string(),
  granted: z.boolean(),
  since: z.string().nullable(),
  grantedTextVersion: z.string().nullable(),
  source: z.enum(["mcp", "site"]).nullable(),
});

async function consentViews(ctx: Context<UserActor>) {
  return (await consentStates(ctx)).map((s) => ({
    type: s.type,
    title: CONSENT_TEXTS[s.type].title,
    text: CONSENT_TEXTS[s.type].text,
    textVersion: CONSENT_TEXTS[s.type].version,
    granted: s.granted,
    since: s.since,
    grantedTextVersion: s.textVersion,
    source: s.source,
  }));
}

export const listConsents = defineProcedure({
  name: "consent.list",
  title: "Your consents",
  description: "Each consent in plain words, whether it is granted now, and the full history of grants and revocations.",
  scopes: ["photos:write"],
  input: z.strictObject({}),
  output: z.object({
    consents: z.array(consentView),
    history: z.array(z.object({ type: consentType, action: z.enum(["granted", "revoked"]), textVersion: z.string(), source: z.enum(["mcp", "site"]), at: z.string() })),
    photoSetCount: z.number().int(),
  }),
  annotations: READ_ONLY,
  doors: ["site"],
  handler: async (ctx) => {
    const [consents, history, sets] = await Promise.all([consentViews(ctx), repo.consentHistory(ctx.db, ctx.actor.userId), repo.listPhotoSets(ctx.db, ctx.actor.userId)]);
    return {
      consents,
      history: history.map((h) => ({ type: h.consentType, action: h.action, textVersion: h.textVersion, source: h.source, at: h.createdAt.toISOString() })),
      photoSetCount: sets.length,
    };
  },
});

const changeOutput = z.object({ consents: z.array(consentView), changed: z.boolean(), cancelledJobs: z.number().int() });

export const grantConsent = defineProcedure({
  name: "consent.grant",
  title: "Grant a consent",
  description: "Grant one consent, agreeing to its current text.",
  scopes: ["photos:write"],
  input: z.strictObject({ type: consentType }),
  output: changeOutput,
  annotations: WRITE_IDEMPOTENT,
  doors: ["site"],
  handler: async (ctx, input) => {
    const { changed, cancelledJobs } = await changeConsent(ctx, input.type, "granted");
    return { consents: await consentViews(ctx), changed, cancelledJobs };
  },
});

export const revokeConsent = defineProcedure({
  name: "consent.revoke",
  title: "Withdraw a consent",
  description: "Withdraw one consent: new work that needs it stops at once and queued try-ons are cancelled.",
  scopes: ["photos:write"],
  input: z.strictObject({ type: consentType }),
  output: changeOutput,
  annotations: DESTRUCTIVE,
  doors: ["site"],
  handler: async (ctx, input) => {
    const { changed, cancelledJobs } = await changeConsent(ctx, input.type, "revoked");
    return { consents: await consentViews(ctx), changed, cancelledJobs };
  },
});
