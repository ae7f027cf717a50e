import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { unzipSync, strFromU8 } from "fflate";
import { auditEvents, consentEvents, feedback, photos, photoSets, products, tryonJobs } from "@/db/schema";
import { exportAccount } from "@/server/account/account";
import type { IngestResult } from "@/server/photos/ingest";
import { registry } from "@/server/procedures";
import { runProcedure } from "@/server/run-procedure";
import type { TestApp } from "./support/app";
import { siteContext } from "./support/checkout";
import type { TestDatabase } from "./support/db";
import { callOk, callTool } from "./support/mcp";
import { usePhotoApp, type PhotoFixtures, type PhotoHost } from "./support/photos";

type Ingest = IngestResult;

const fixture = usePhotoApp();
let database: TestDatabase;
let app: TestApp;
let images: PhotoHost;
let fixtures: PhotoFixtures;
let alice: Client;
let bob: Client;
let carol: Client;

beforeAll(async () => {
  ({ database, app, images, fixtures } = fixture);
  [alice, bob, carol] = await Promise.all([app.mcpClient("alice"), app.mcpClient("bob"), app.mcpClient("carol")]);
});

const url = (name: keyof PhotoFixtures) => images.url(name);
const assetDir = () => app.env.photos.assetDir;
async function filesOnDisk(): Promise<string[]> {
  if (!existsSync(assetDir())) return [];
  return (await readdir(assetDir(), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
const setsOf = async (userId: string) => database.db.select().from(photoSets).where(eq(photoSets.userId, userId));

describe("profile.ingestPhotos", () => {
  it("declares the ChatGPT file parameter, and refuses without consent, storing nothing and fetching nothing", async () => {
    const { tools } = await alice.listTools();
    const tool = tools.find((t) => t.name === "profile.ingestPhotos")!;
    expect(tool._meta?.["openai/fileParams"]).toEqual(["photos"]);
    expect(tool.annotations).toMatchObject({ readOnlyHint: false, openWorldHint: true });

    const outcome = await callTool(carol, "profile.ingestPhotos", { fileIds: [], photoUrls: [url("fullBody")], consentGranted: false, source: "import" });
    expect(outcome.isError).toBe(true);
    expect(outcome.error?.code).toBe("consent_required");
    expect(await setsOf("carol")).toHaveLength(0);
  });

  it("with consent: the full-body photo is approved and kept without its EXIF, the cropped one rejected with its reason and not kept", async () => {
    const before = (await filesOnDisk()).length;
    const result = await callOk<Ingest>(alice, "profile.ingestPhotos", {
      fileIds: [],
      photoUrls: [url("fullBody"), url("kneesUp")],
      consentGranted: true,
      source: "import",
    });
    expect(result).toMatchObject({ ok: true, fileCount: 2, approvedPhotoCount: 1, rejectedPhotoCount: 1, pendingPhotoCount: 0 });
    expect(result.photos[0]!.status).toBe("approved");
    expect(result.photos[1]!.failures).toEqual(expect.arrayContaining(["left_ankle_not_visible", "right_ankle_not_visible"]));
    expect(result.photos[1]!.reason).toMatch(/ankle is not in the frame/);

    const files = await filesOnDisk();
    expect(files.filter((f) => f.endsWith(".jpg"))).toHaveLength(before / 2 + 1);
    const stored = files.find((f) => f.includes(result.photoSetId) && f.endsWith(".jpg"))!;
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();

    const rows = await database.db.select().from(photos).where(eq(photos.photoSetId, result.photoSetId));
    expect(rows.map((r) => r.validationStatus).sort()).toEqual(["approved", "rejected"]);
    expect(rows.find((r) => r.validationStatus === "rejected")!.storageKey).toBeNull();
    expect(rows.find((r) => r.validationStatus === "approved")!.isPrimary).toBe(true);

    // The grant is in the ledger with its source and text version; the audit trail has counts, never URLs.
    const ledger = await database.db.select().from(consentEvents).where(eq(consentEvents.userId, "alice"));
    expect(ledger).toMatchObject([{ consentType: "photo_processing", action: "granted", source: "mcp", textVersion: expect.stringMatching(/photo/) }]);
    const events = await database.db.select().from(auditEvents).where(and(eq(auditEvents.actorUserId, "alice"), eq(auditEvents.entityId, result.photoSetId)));
    expect(events.map((e) => e.eventType)).toEqual(["photos.ingested"]);
    expect(JSON.stringify(events)).not.toMatch(/127\.0\.0\.1|http/);
  }, 30_000);

  it("takes photos the user attached in ChatGPT (file objects), and records bare file ids with a next step", async () => {
    const attached = await callOk<Ingest>(alice, "profile.ingestPhotos", {
      fileIds: ["file_abc"],
      photos: [{ download_url: url("avatar"), file_id: "file_abc", mime_type: "image/png", file_name: "me.png" }],
      consentGranted: false,
      source: "chatgpt_upload",
    });
    expect(attached).toMatchObject({ ok: true, fileCount: 1, approvedPhotoCount: 1 });
    expect(attached.photos[0]!.fileId).toBe("file_abc");

    const refs = await callOk<Ingest>(alice, "profile.ingestPhotos", { fileIds: ["file_only_1"], consentGranted: false, source: "chatgpt_upload" });
    expect(refs).toMatchObject({ ok: true, fileCount: 1, pendingPhotoCount: 1, approvedPhotoCount: 0 });
    expect(refs.nextStep).toContain(`${app.url}/photos`);
  }, 30_000);

  it("when no photo passes: ok false, full_body_photo_required, each reason", async () => {
    const result = await callOk<Ingest>(alice, "profile.ingestPhotos", { fileIds: [], photoUrls: [url("seated"), url("group")], consentGranted: false, source: "import" });
    expect(result).toMatchObject({ ok: false, reason: "full_body_photo_required", approvedPhotoCount: 0, rejectedPhotoCount: 2 });
    expect(result.photos[1]!.failures).toContain("more_than_one_person");
    expect(result.nextStep).toMatch(/whole body/);
  }, 30_000);

  it("refuses unsafe or unreadable inputs naming the field, and stores nothing", async () => {
    const sets = (await setsOf("alice")).length;
    const files = (await filesOnDisk()).length;
    const cases: Array<[string, RegExp]> = [
      ["https://169.254.169.254/latest/meta-data/", /linkLocal/],
      ["https://[::ffff:127.0.0.1]/a.jpg", /loopback/],
      ["https://2130706433/a.jpg", /loopback/],
      ["https://localhost/a.jpg", /resolves to/],
      ["http://example.com/a.jpg", /must be https/],
      [url("textAsJpg"), /not a JPEG, PNG or WebP/],
      [url("bomb"), /megapixels/],
    ];
    for (const [bad, message] of cases) {
      const outcome = await callTool(alice, "profile.ingestPhotos", { fileIds: [], photoUrls: [url("fullBody"), bad], consentGranted: false, source: "import" });
      expect(outcome.error?.code, bad).toBe("validation");
      expect(outcome.error?.issues?.[0]?.field, bad).toBe("photoUrls.1");
      expect(outcome.error?.issues?.[0]?.message, bad).toMatch(message);
    }
    const empty = await callTool(alice, "profile.ingestPhotos", { fileIds: [], consentGranted: true, source: "import" });
    expect(empty.error?.issues?.[0]).toMatchObject({ field: "photos", message: expect.stringContaining("at least one photo") });
    expect((await setsOf("alice")).length).toBe(sets);
    expect((await filesOnDisk()).length).toBe(files);
  }, 30_000);
});

describe("profile.deletePhotos and the portal", () => {
  it("removes rows, files and try-on jobs; idempotent; another user's set is not_found", async () => {
    const set = await callOk<Ingest>(alice, "profile.ingestPhotos", { fileIds: [], photoUrls: [url("fullBody")], consentGranted: false, source: "import" });
    const [product] = await database.db.select({ id: products.id }).from(products).limit(1);
    await database.db.insert(tryonJobs).values({ userId: "alice", photoSetId: set.photoSetId, productId: product!.id });
    expect((await filesOnDisk()).some((f) => f.includes(set.photoSetId))).toBe(true);

    const foreign = await callTool(bob, "profile.deletePhotos", { photoSetId: set.photoSetId });
    expect(foreign.error?.code).toBe("not_found");
    const unknown = await callTool(alice, "profile.deletePhotos", { photoSetId: "00000000-0000-4000-8000-000000000000" });
    expect(unknown.error?.code).toBe("not_found");

    const removed = await callOk<{ deleted: boolean; photosDeleted: number; filesDeleted: number }>(alice, "profile.deletePhotos", { photoSetId: set.photoSetId });
    expect(removed).toMatchObject({ deleted: true, photosDeleted: 1, filesDeleted: 1 });
    expect((await filesOnDisk()).some((f) => f.includes(set.photoSetId))).toBe(false);
    expect(await database.db.select().from(tryonJobs).where(eq(tryonJobs.photoSetId, set.photoSetId))).toHaveLength(0);
    const again = await callOk<{ deleted: boolean }>(alice, "profile.deletePhotos", { photoSetId: set.photoSetId });
    expect(again.deleted).toBe(false);
    const audit = await database.db.select().from(auditEvents).where(and(eq(auditEvents.eventType, "photos.deleted"), eq(auditEvents.entityId, set.photoSetId)));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.payload)).not.toMatch(/\.jpg|http/);
  }, 30_000);

  it("the portal lists photos with short-lived links only their owner's signature opens; uploads are checked the same way", async () => {
    const site = siteContext(app, "alice");
    const uploaded = await runProcedure(registry.photos.upload, site, { files: [{ data: fixtures.avatar.toString("base64") }] });
    expect(uploaded.approvedPhotoCount).toBe(1);
    const { sets } = await runProcedure(registry.photos.list, site, {});
    const photo = sets.find((s) => s.photoSetId === uploaded.photoSetId)!.photos[0]!;
    expect(photo.status).toBe("approved");
    const image = await fetch(photo.imageUrl!);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect(image.headers.get("cache-control")).toContain("private");
    const tampered = new URL(photo.imageUrl!);
    tampered.searchParams.set("u", "bob");
    expect((await fetch(tampered)).status).toBe(404);
    const expired = new URL(photo.imageUrl!);
    expired.searchParams.set("e", String(Math.floor(Date.now() / 1000) - 10));
    expect((await fetch(expired)).status).toBe(404);

    // A multi-photo upload sends one photo per request into one set; only the owner may add to it.
    const second = await runProcedure(registry.photos.upload, site, { files: [{ data: fixtures.kneesUp.toString("base64") }], photoSetId: uploaded.photoSetId });
    expect(second.photoSetId).toBe(uploaded.photoSetId);
    expect((await runProcedure(registry.photos.list, site, {})).sets.find((s) => s.photoSetId === uploaded.photoSetId)!.photos).toHaveLength(2);
    await expect(
      runProcedure(registry.photos.upload, siteContext(app, "bob"), { files: [{ data: fixtures.avatar.toString("base64") }], consentGranted: true, photoSetId: uploaded.photoSetId }),
    ).rejects.toMatchObject({ code: "not_found" });
    const bobs = await runProcedure(registry.photos.list, siteContext(app, "bob"), {});
    expect(bobs.sets.some((s) => s.photoSetId === uploaded.photoSetId)).toBe(false);
    await expect(runProcedure(registry.photos.setPrimary, siteContext(app, "bob"), { photoId: photo.photoId })).rejects.toMatchObject({ code: "not_found" });
    await expect(runProcedure(registry.photos.upload, site, { files: [{ data: fixtures.textAsJpg.toString("base64") }] })).rejects.toMatchObject({
      code: "validation",
      issues: [{ field: "files.0", message: expect.stringContaining("not a JPEG") }],
    });
  }, 30_000);
});

describe("the portal's uploads through the HTTP door", () => {
  it("take a phone-sized photo (several MB) alone, and keep every other request under 1 MB", async () => {
    const token = await app.idp.tokenFor("alice", { scopes: ["photos:write"] });
    const noisy = await sharp({ create: { width: 2000, height: 2500, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 40 } } }).jpeg({ quality: 95 }).toBuffer();
    expect(noisy.length).toBeGreaterThan(2 * 1024 * 1024);
    const body = JSON.stringify({ files: [{ data: noisy.toString("base64") }], consentGranted: true });
    const post = (path: string, payload: string) =>
      fetch(`${app.url}/api/trpc/${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: payload });
    const uploaded = await post("photos.upload", body);
    expect(uploaded.status, await uploaded.clone().text()).toBe(200);
    const result = ((await uploaded.json()) as { result: { data: IngestResult } }).result.data;
    expect(result).toMatchObject({ fileCount: 1, ok: false, reason: "full_body_photo_required" });
    expect(result.photos[0]!.failures).toContain("no_person");
    // Anything else keeps the 1 MB limit, batched with an upload or not.
    expect((await post("photos.upload,consent.list?batch=1", JSON.stringify({ 0: { files: [{ data: noisy.toString("base64") }] }, 1: {} }))).status).toBe(413);
    expect((await post("consent.grant", JSON.stringify({ type: "photo_processing", padding: "x".repeat(2 * 1024 * 1024) }))).status).toBe(413);
  }, 60_000);
});

describe("the consent ledger", () => {
  it("revoking stops new ingests at once and cancels queued try-ons; the history keeps every change", async () => {
    const site = siteContext(app, "dave");
    const granted = await runProcedure(registry.consent.grant, site, { type: "photo_processing" });
    expect(granted.changed).toBe(true);
    expect((await runProcedure(registry.consent.grant, site, { type: "photo_processing" })).changed).toBe(false);
    const dave = await app.mcpClient("dave");
    const set = await callOk<Ingest>(dave, "profile.ingestPhotos", { fileIds: [], photoUrls: [url("fullBody")], consentGranted: false, source: "import" });
    const [product] = await database.db.select({ id: products.id }).from(products).limit(1);
    await database.db.insert(tryonJobs).values({ userId: "dave", photoSetId: set.photoSetId, productId: product!.id });

    const revoked = await runProcedure(registry.consent.revoke, site, { type: "photo_processing" });
    expect(revoked).toMatchObject({ changed: true, cancelledJobs: 1 });
    expect(revoked.consents.find((c) => c.type === "photo_processing")!.granted).toBe(false);
    const [job] = await database.db.select().from(tryonJobs).where(eq(tryonJobs.userId, "dave"));
    expect(job).toMatchObject({ status: "failed", error: "consent_revoked" });

    const refused = await callTool(dave, "profile.ingestPhotos", { fileIds: [], photoUrls: [url("fullBody")], consentGranted: false, source: "import" });
    expect(refused.error?.code).toBe("consent_required");

    const view = await runProcedure(registry.consent.list, site, {});
    expect(view.history.map((h) => `${h.type}:${h.action}:${h.source}`)).toEqual(["photo_processing:revoked:site", "photo_processing:granted:site"]);
    expect(view.photoSetCount).toBe(1);
    expect(view.consents.map((c) => c.type)).toEqual(["photo_processing", "tryon"]);
    expect(view.consents[0]!.text).toMatch(/our own servers/);
  }, 30_000);

  it("is append-only: the database refuses to edit a past event", async () => {
    const error = await database.db.execute(sql`update consent_events set action = 'granted' where user_id = 'dave'`).catch((e: Error) => e);
    expect(String((error as Error).cause)).toMatch(/append-only/);
  });
});

describe("export and erase everything", () => {
  it("the export holds the user's records and files, and nothing of anyone else", async () => {
    const bobSet = await callOk<Ingest>(bob, "profile.ingestPhotos", { fileIds: [], photoUrls: [url("avatar")], consentGranted: true, source: "import" });
    const [item] = await database.db.select({ id: products.id }).from(products).limit(1);
    await callOk(alice, "feedback.rateItem", { itemId: item!.id, rating: 1 });
    const { zip, files } = await exportAccount(siteContext(app, "alice") as never);
    const archive = unzipSync(zip);
    const names = Object.keys(archive);
    expect(names).toEqual(expect.arrayContaining(["account.json", "consents.json", "ratings.json", "plans.json", "photos.json", "tryons.json", "approvals.json", "activity.json"]));
    const aliceSets = await setsOf("alice");
    const photoJson = JSON.parse(strFromU8(archive["photos.json"]!)) as Array<{ id: string }>;
    expect(photoJson.map((s) => s.id).sort()).toEqual(aliceSets.map((s) => s.id).sort());
    expect(JSON.parse(strFromU8(archive["ratings.json"]!))).toMatchObject([{ productId: item!.id, rating: 1 }]);
    expect(JSON.parse(strFromU8(archive["consents.json"]!)).length).toBeGreaterThan(0);
    const jpgs = names.filter((n) => n.endsWith(".jpg"));
    expect(jpgs.length).toBe(files);
    expect(jpgs.length).toBeGreaterThan(0);
    for (const n of jpgs) expect(n.startsWith("photos/alice/")).toBe(true);
    const everything = names.filter((n) => n.endsWith(".json")).map((n) => strFromU8(archive[n]!)).join("\n");
    expect(everything).not.toContain(bobSet.photoSetId);
    expect(everything).not.toMatch(/"bob"/);
    expect(everything).not.toContain("tokenHash");
  }, 30_000);

  it("delete everything leaves no row and no file of the user, and the trail says it happened", async () => {
    const heidi = await app.mcpClient("heidi");
    const set = await callOk<Ingest>(heidi, "profile.ingestPhotos", { fileIds: [], photoUrls: [url("fullBody")], consentGranted: true, source: "import" });
    const [item] = await database.db.select({ id: products.id }).from(products).limit(1);
    await callOk(heidi, "feedback.rateItem", { itemId: item!.id, rating: -1 });
    expect((await filesOnDisk()).some((f) => f.includes(set.photoSetId))).toBe(true);
    await expect(runProcedure(registry.account.erase, siteContext(app, "heidi"), { confirm: "yes" })).rejects.toMatchObject({ code: "validation", issues: [{ field: "confirm" }] });
    const erased = await runProcedure(registry.account.erase, siteContext(app, "heidi"), { confirm: "delete everything" });
    expect(erased).toMatchObject({ erased: true, photoSets: 1, files: 1 });
    expect(await setsOf("heidi")).toHaveLength(0);
    expect(await database.db.select().from(consentEvents).where(eq(consentEvents.userId, "heidi"))).toHaveLength(0);
    expect(await database.db.select().from(feedback).where(eq(feedback.userId, "heidi"))).toHaveLength(0);
    expect((await filesOnDisk()).some((f) => f.includes("/heidi/"))).toBe(false);
    const trail = await database.db.select().from(auditEvents).where(and(eq(auditEvents.actorUserId, "heidi"), eq(auditEvents.eventType, "account.erased")));
    expect(trail).toHaveLength(1);
  }, 30_000);
});
