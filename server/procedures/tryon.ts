import { z } from "zod";
import { and, eq } from "drizzle-orm";
import { findProduct } from "@/db/repos/catalog";
import * as photosRepo from "@/db/repos/photos";
import * as repo from "@/db/repos/tryon";
import { outfitItems, outfits, products } from "@/db/schema";
import { audit } from "../audit";
import type { Context, UserActor } from "../context";
import { AppError, notFound } from "../errors";
import { consentStates } from "../photos/consent";
import { photoServices } from "../photos/services";
import { signedAssetUrl } from "../photos/storage";
import { renderable } from "../tryon/renderer";
import { itemIdSchema } from "./catalog";
import { defineProcedure, idempotencyKeySchema, READ_ONLY, WRITE } from "./define";

const MAX_ATTEMPTS = 3;

const jobOutput = z.object({
  jobId: z.string(),
  status: z.enum(["queued", "running", "succeeded", "failed"]),
  /** 0-100. */
  progress: z.number().int(),
  itemIds: z.array(z.string()),
  /** Pieces of the outfit this renderer cannot draw on a photo (bags, belts…). */
  skippedItemIds: z.array(z.string()),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  /** A short-lived link to the render on our origin, when it succeeded. */
  outputUrl: z.string().nullable(),
  /** The same for the photo it was rendered on (the widget's "before"). */
  photoUrl: z.string().nullable(),
  /** Why it failed, in words. */
  error: z.string().nullable(),
  nextStep: z.string(),
});
type JobOutput = z.infer<typeof jobOutput>;

/** Both consents, or `consent_required` naming what is missing and where to grant it. */
async function requireTryonConsent(ctx: Context<UserActor>): Promise<void> {
  const states = await consentStates(ctx);
  const missing = states.filter((s) => !s.granted).map((s) => (s.type === "tryon" ? "virtual try-on" : "photo processing"));
  if (missing.length > 0) {
    throw new AppError("consent_required", `Try-on needs the user's consent to ${missing.join(" and ")}: they can grant it at ${new URL("/consent", ctx.appBaseUrl)}.`);
  }
}

/** The set's primary photo, else its first approved one; try-on needs an approved full-body photo. */
async function photoFor(ctx: Context<UserActor>, photoSetId: string) {
  const set = await photosRepo.findPhotoSet(ctx.db, ctx.actor.userId, photoSetId);
  if (!set) throw notFound("photo set", photoSetId);
  const stored = set.photos.filter((p) => p.storageKey);
  const requireFullBody = photoServices(ctx).requireFullBody;
  const usable = stored.filter((p) => !requireFullBody || p.validationStatus === "approved");
  const photo = usable.find((p) => p.isPrimary) ?? usable[0];
  if (!photo) {
    throw new AppError("validation", "This photo set has no approved full-body photo to render on.", {
      issues: [{ field: "photoSetId", message: `has no approved full-body photo: upload one at ${new URL("/photos", ctx.appBaseUrl)}` }],
    });
  }
  return photo;
}

async function enqueue(ctx: Context<UserActor>, args: { photoSetId: string; photoId: string; productIds: string[]; skipped: string[]; productId?: string; outfitId?: string }): Promise<JobOutput> {
  const job = await repo.enqueueTryon(ctx.db, {
    userId: ctx.actor.userId,
    photoSetId: args.photoSetId,
    productId: args.productId,
    outfitId: args.outfitId,
    inputRefs: { photoId: args.photoId, productIds: args.productIds, skipped: args.skipped },
    maxAttempts: MAX_ATTEMPTS,
  });
  await audit(ctx, { eventType: "tryon.requested", entityType: "tryon_job", entityId: job.id, payload: { items: args.productIds.length, outfit: !!args.outfitId } });
  return view(ctx, job);
}

const WORDS: Record<string, string> = {
  consent_revoked: "Cancelled: the user withdrew their consent to photo processing or try-on.",
};

function view(ctx: Context<UserActor>, job: repo.TryonJobRow): JobOutput {
  const refs = job.inputRefs as { productIds?: string[]; skipped?: string[] };
  const out = job.outputRefs as { storageKey?: string; photoStorageKey?: string } | null;
  const secret = ctx.secrets?.appSecret;
  const sign = (key: string | undefined) => (key && secret ? signedAssetUrl(ctx.appBaseUrl, secret, key, ctx.actor.userId, ctx.now()) : null);
  const nextStep =
    job.status === "succeeded"
      ? "Show the user the render (outputUrl); the link works for a few minutes, call again for a fresh one."
      : job.status === "failed"
        ? "Tell the user why it failed; a new request may succeed if the cause is fixed."
        : "Rendering takes a few seconds: call tryon.getJobStatus again shortly.";
  return {
    jobId: job.id,
    status: job.status,
    progress: job.progress,
    itemIds: refs.productIds ?? [],
    skippedItemIds: refs.skipped ?? [],
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    outputUrl: job.status === "succeeded" ? sign(out?.storageKey) : null,
    photoUrl: job.status === "succeeded" ? sign(out?.photoStorageKey) : null,
    error: job.status === "failed" ? (WORDS[job.error ?? ""] ?? job.error ?? "The render failed.") : null,
    nextStep,
  };
}

const tryonInput = { photoSetId: z.uuid("is not a photo set id"), idempotencyKey: idempotencyKeySchema.optional() };

export const renderItemOnUser = defineProcedure({
  name: "tryon.renderItemOnUser",
  title: "Try an item on",
  description:
    "Start rendering one catalog item on the user's approved full-body photo (a photo set from profile.ingestPhotos). " +
    "Returns a job at once; the render takes a few seconds: poll tryon.getJobStatus with the jobId. Needs the user's " +
    "consent to photo processing and try-on (`consent_required` otherwise). Tops, bottoms, dresses, outerwear and shoes " +
    "can be rendered; accessories cannot yet.",
  scopes: ["tryon:write", "photos:write"],
  input: z.strictObject({ itemId: itemIdSchema, ...tryonInput }),
  output: jobOutput,
  annotations: WRITE,
  idempotency: {},
  mcp: { invoking: "Starting the try-on…", invoked: "Try-on started", summary: (o) => `Try-on job ${o.jobId} is ${o.status}. ${o.nextStep}` },
  handler: async (ctx, input) => {
    await requireTryonConsent(ctx);
    const photo = await photoFor(ctx, input.photoSetId);
    const product = await findProduct(ctx.db, input.itemId);
    if (!product) throw notFound("item", input.itemId);
    if (!renderable(product.category)) {
      throw new AppError("validation", `${product.title} cannot be rendered on a photo yet.`, { issues: [{ field: "itemId", message: `${product.category} cannot be rendered yet; try a top, bottom, dress, outerwear or shoes` }] });
    }
    return enqueue(ctx, { photoSetId: input.photoSetId, photoId: photo.id, productIds: [product.id], skipped: [], productId: product.id });
  },
});

export const renderOutfitOnUser = defineProcedure({
  name: "tryon.renderOutfitOnUser",
  title: "Try an outfit on",
  description:
    "Start rendering a planned outfit (an outfitId from plan.generateOutfits or plan.generateCapsule) on the user's approved " +
    "full-body photo, all garments in one image in the right layer order. Returns a job; poll tryon.getJobStatus. Pieces " +
    "the renderer cannot draw yet (accessories) are listed in skippedItemIds.",
  scopes: ["tryon:write", "photos:write"],
  input: z.strictObject({ outfitId: z.uuid("is not an outfit id"), ...tryonInput }),
  output: jobOutput,
  annotations: WRITE,
  idempotency: {},
  mcp: { invoking: "Starting the outfit try-on…", invoked: "Try-on started", summary: (o) => `Try-on job ${o.jobId} is ${o.status}. ${o.nextStep}` },
  handler: async (ctx, input) => {
    await requireTryonConsent(ctx);
    const photo = await photoFor(ctx, input.photoSetId);
    const [outfit] = await ctx.db.select().from(outfits).where(and(eq(outfits.id, input.outfitId), eq(outfits.userId, ctx.actor.userId))).limit(1);
    if (!outfit) throw notFound("outfit", input.outfitId);
    const items = await ctx.db.select({ id: products.id, category: products.category }).from(outfitItems).innerJoin(products, eq(products.id, outfitItems.productId)).where(eq(outfitItems.outfitId, outfit.id));
    const drawn = items.filter((i) => renderable(i.category)).map((i) => i.id);
    const skipped = items.filter((i) => !renderable(i.category)).map((i) => i.id);
    if (drawn.length === 0) throw new AppError("validation", "Nothing in this outfit can be rendered yet.", { issues: [{ field: "outfitId", message: "has no top, bottom, dress, outerwear or shoes" }] });
    return enqueue(ctx, { photoSetId: input.photoSetId, photoId: photo.id, productIds: drawn, skipped, outfitId: outfit.id });
  },
});

export const getJobStatus = defineProcedure({
  name: "tryon.getJobStatus",
  title: "Try-on status",
  description:
    "Where a try-on job stands: queued, running (with progress), succeeded (with a short-lived link to the render and the " +
    "photo, shown side by side in a widget) or failed (with the reason in words).",
  scopes: ["tryon:read"],
  input: z.strictObject({ jobId: z.uuid("is not a job id") }),
  output: jobOutput,
  annotations: READ_ONLY,
  mcp: {
    widget: "tryon-result",
    widgetAccessible: true,
    invoking: "Checking the try-on…",
    invoked: "Try-on status",
    summary: (o) => (o.status === "succeeded" ? `The try-on is ready (job ${o.jobId}).` : o.status === "failed" ? `The try-on failed: ${o.error}` : `The try-on is ${o.status} (${o.progress}%).`),
  },
  handler: async (ctx, input) => {
    const job = await repo.findTryonJob(ctx.db, ctx.actor.userId, input.jobId);
    if (!job) throw notFound("try-on job", input.jobId);
    return view(ctx, job);
  },
});

/** The photo portal's list of try-ons (site). */
export const listTryons = defineProcedure({
  name: "tryon.list",
  title: "Your try-ons",
  description: "The user's recent try-on jobs with their status and, when done, links to the renders.",
  scopes: ["tryon:read"],
  input: z.strictObject({}),
  output: z.object({ jobs: z.array(jobOutput) }),
  annotations: READ_ONLY,
  doors: ["site"],
  handler: async (ctx) => ({ jobs: (await repo.recentJobs(ctx.db, ctx.actor.userId)).map((j) => view(ctx, j)) }),
});

