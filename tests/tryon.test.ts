import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { attemptsOf } from "@/db/repos/tryon";
import { products, tryonJobs } from "@/db/schema";
import { silentLogger } from "@/server/logger";
import { registry } from "@/server/procedures";
import { runProcedure } from "@/server/run-procedure";
import type { Renderer } from "@/server/tryon/renderer";
import { TryonWorker } from "@/server/tryon/worker";
import type { TestApp } from "./support/app";
import { siteContext } from "./support/checkout";
import type { TestDatabase } from "./support/db";
import { callOk, callTool } from "./support/mcp";
import { usePhotoApp } from "./support/photos";

interface Job {
  jobId: string;
  status: string;
  progress: number;
  outputUrl: string | null;
  photoUrl: string | null;
  error: string | null;
  itemIds: string[];
  skippedItemIds: string[];
}

const fixture = usePhotoApp();
let database: TestDatabase;
let app: TestApp;
let imageHost: string;
let top: string;
let trousers: string;
let bag: string;

beforeAll(async () => {
  ({ database, app } = fixture);
  imageHost = fixture.images.host;
  const pick = async (category: string) => (await database.db.select({ id: products.id }).from(products).where(eq(products.category, category)).limit(1))[0]!.id;
  [top, trousers, bag] = await Promise.all([pick("tops"), pick("bottoms"), pick("accessories")]);
});

function worker(options: { renderer?: Renderer; leaseMs?: number } = {}) {
  return new TryonWorker({ database, assets: app.deps.photos.assets, renderer: options.renderer ?? app.deps.photos.renderer, log: silentLogger, leaseMs: options.leaseMs ?? 5000, backoffMs: 10 });
}

/** A user with both consents and one approved full-body photo set. */
async function readyUser(user: string): Promise<{ client: Client; photoSetId: string }> {
  const site = siteContext(app, user);
  await runProcedure(registry.consent.grant, site, { type: "photo_processing" });
  await runProcedure(registry.consent.grant, site, { type: "tryon" });
  const client = await app.mcpClient(user);
  const set = await callOk<{ photoSetId: string; approvedPhotoCount: number }>(client, "profile.ingestPhotos", {
    fileIds: [],
    photoUrls: [`http://${imageHost}/fullBody.jpg`],
    consentGranted: false,
    source: "import",
  });
  expect(set.approvedPhotoCount).toBe(1);
  return { client, photoSetId: set.photoSetId };
}

async function rendersOf(photoSetId: string): Promise<string[]> {
  const dir = app.env.photos.assetDir;
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith(".jpg") && e.parentPath.includes(photoSetId) && e.parentPath.endsWith("renders"))
    .map((e) => path.join(e.parentPath, e.name));
}

describe("try-on jobs", () => {
  it("renders an item on the user's photo: queued, claimed, rendered, a before/after the owner can open", async () => {
    const { client, photoSetId } = await readyUser("alice");
    const { tools } = await client.listTools();
    const status = tools.find((t) => t.name === "tryon.getJobStatus")!;
    expect(String(status._meta?.["openai/outputTemplate"])).toContain("tryon-result");

    const queued = await callOk<Job>(client, "tryon.renderItemOnUser", { itemId: top, photoSetId, idempotencyKey: "alice-top-1" });
    expect(queued).toMatchObject({ status: "queued", progress: 0, itemIds: [top], outputUrl: null });
    const replay = await callOk<Job>(client, "tryon.renderItemOnUser", { itemId: top, photoSetId, idempotencyKey: "alice-top-1" });
    expect(replay.jobId).toBe(queued.jobId);

    expect(await worker().runOnce()).toBe(true);
    const done = await callOk<Job>(client, "tryon.getJobStatus", { jobId: queued.jobId });
    expect(done).toMatchObject({ status: "succeeded", progress: 100, error: null });
    const after = await fetch(done.outputUrl!);
    expect(after.status).toBe(200);
    const before = await fetch(done.photoUrl!);
    expect(before.status).toBe(200);
    // The render is the photo with the garment on it: same size, visibly different over the torso.
    const [a, b] = await Promise.all([after.arrayBuffer(), before.arrayBuffer()].map(async (p) => sharp(Buffer.from(await p)).raw().toBuffer({ resolveWithObject: true })));
    expect(a!.info.width).toBe(b!.info.width);
    let changed = 0;
    for (let i = 0; i < a!.data.length; i += 3) if (Math.abs(a!.data[i]! - b!.data[i]!) > 40) changed++;
    expect(changed / (a!.data.length / 3)).toBeGreaterThan(0.03);
    expect(await rendersOf(photoSetId)).toHaveLength(1);

    const bob = await app.mcpClient("bob");
    expect((await callTool(bob, "tryon.getJobStatus", { jobId: queued.jobId })).error?.code).toBe("not_found");
    expect((await callTool(bob, "tryon.renderItemOnUser", { itemId: top, photoSetId })).error?.code).toBe("consent_required");
    const bag1 = await callTool(client, "tryon.renderItemOnUser", { itemId: bag, photoSetId });
    expect(bag1.error).toMatchObject({ code: "validation", issues: [{ field: "itemId" }] });
  }, 60_000);

  it("renders a planned outfit in one image and names what it skipped", async () => {
    const { client, photoSetId } = await readyUser("carol");
    const plan = await callOk<{ outfits: Array<{ outfitId: string; items: Array<{ itemId: string; category: string }> }> }>(client, "plan.generateOutfits", { budget: 600, outfitCount: 1, includeItemIds: [] });
    const outfit = plan.outfits[0]!;
    const job = await callOk<Job>(client, "tryon.renderOutfitOnUser", { outfitId: outfit.outfitId, photoSetId });
    expect(job.itemIds.length + job.skippedItemIds.length).toBe(outfit.items.length);
    expect(job.itemIds.length).toBeGreaterThanOrEqual(2);
    await worker().runOnce();
    expect((await callOk<Job>(client, "tryon.getJobStatus", { jobId: job.jobId })).status).toBe("succeeded");
  }, 60_000);

  it("withdrawing consent cancels queued jobs as consent_revoked, and nothing is rendered", async () => {
    const { client, photoSetId } = await readyUser("dave");
    const job = await callOk<Job>(client, "tryon.renderItemOnUser", { itemId: trousers, photoSetId });
    await runProcedure(registry.consent.revoke, siteContext(app, "dave"), { type: "tryon" });
    await worker().runOnce();
    const status = await callOk<Job>(client, "tryon.getJobStatus", { jobId: job.jobId });
    expect(status).toMatchObject({ status: "failed", outputUrl: null });
    expect(status.error).toMatch(/withdrew their consent/);
    expect(await rendersOf(photoSetId)).toHaveLength(0);
    expect((await callTool(client, "tryon.renderItemOnUser", { itemId: trousers, photoSetId })).error?.code).toBe("consent_required");
  }, 60_000);

  it("a photo set deleted while its job renders gets no output written", async () => {
    const { client, photoSetId } = await readyUser("erin");
    const job = await callOk<Job>(client, "tryon.renderItemOnUser", { itemId: top, photoSetId });
    const real = app.deps.photos.renderer;
    const deletingMidway: Renderer = {
      name: "deletes-midway",
      async render(input) {
        const out = await real.render(input);
        await callOk(client, "profile.deletePhotos", { photoSetId });
        return out;
      },
    };
    await worker({ renderer: deletingMidway }).runOnce();
    expect(await rendersOf(photoSetId)).toHaveLength(0);
    expect(await database.db.select().from(tryonJobs).where(eq(tryonJobs.id, job.jobId))).toHaveLength(0);
  }, 60_000);

  it("concurrent workers never run a job twice", async () => {
    const { client, photoSetId } = await readyUser("frank");
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await callOk<Job>(client, "tryon.renderItemOnUser", { itemId: i % 2 ? top : trousers, photoSetId })).jobId);
    const workers = [worker(), worker(), worker()];
    await Promise.all(workers.map(async (w) => { while (await w.runOnce()); }));
    const jobs = await database.db.select().from(tryonJobs).where(inArray(tryonJobs.id, ids));
    expect(jobs.map((j) => j.status)).toEqual(Array(6).fill("succeeded"));
    for (const j of jobs) {
      expect(j.attempts).toBe(1);
      expect((await attemptsOf(database.db, j.id)).map((a) => a.outcome)).toEqual(["succeeded"]);
    }
    expect(await rendersOf(photoSetId)).toHaveLength(6);
  }, 90_000);

  it.runIf(process.env.TEST_DB === "postgres")("a worker process killed mid-job: another worker takes it after the lease and finishes it once", async () => {
    const { client, photoSetId } = await readyUser("grace");
    const job = await callOk<Job>(client, "tryon.renderItemOnUser", { itemId: top, photoSetId });
    const child = spawn("npx", ["tsx", "scripts/worker.ts"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        ASSET_DIR: app.env.photos.assetDir,
        LOG_LEVEL: "silent",
        AUTH_MODE: "dev",
        NODE_ENV: "development",
        TRYON_LEASE_MS: "1500",
        TRYON_RENDER_DELAY_MS: "20000",
      },
    });
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    try {
      // Wait until the process holds the job (it renders, then sleeps inside its render).
      for (let i = 0; i < 300; i++) {
        const [row] = await database.db.select().from(tryonJobs).where(eq(tryonJobs.id, job.jobId));
        if (row?.status === "running" && row.progress >= 40) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const [held] = await database.db.select().from(tryonJobs).where(eq(tryonJobs.id, job.jobId));
      expect(held?.status, out).toBe("running");
      process.kill(-child.pid!, "SIGKILL");
      await new Promise((r) => setTimeout(r, 2000)); // the lease runs out
      expect(await worker().runOnce()).toBe(true);
    } finally {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }
    const [row] = await database.db.select().from(tryonJobs).where(eq(tryonJobs.id, job.jobId));
    expect(row).toMatchObject({ status: "succeeded", attempts: 2 });
    expect((await attemptsOf(database.db, job.jobId)).map((a) => a.outcome)).toEqual(["failed", "succeeded"]);
    expect(await rendersOf(photoSetId)).toHaveLength(1);
  }, 90_000);
});
