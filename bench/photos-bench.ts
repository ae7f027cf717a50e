/**
 * npm run bench:photos: the photo and try-on pipeline on this machine, beside the targets
 * (validation ≤ 150 ms per photo, pickup ≤ 100 ms, render ≤ 500 ms per item). Prints figures, asserts
 * nothing. Uses the machine's Postgres (database stylist_bench_photos, kept between runs).
 *
 * - validation: decode + re-encode without metadata + the pose model (MoveNet and BlazeFace, WASM, in its
 *   worker thread), per photo, over the fixtures; and the process's memory with the model loaded;
 * - pickup: enqueue (its NOTIFY) to claim by an idle worker, from the database's own clock;
 * - render: the warp renderer for one item and for a 4-garment outfit;
 * - throughput: BENCH_JOBS jobs drained by 2 `npm run worker` processes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, inArray, sql } from "drizzle-orm";
import sharp from "sharp";
import { openPostgres } from "@/db/client";
import { appendConsentEvent, insertPhotoSet } from "@/db/repos/photos";
import { enqueueTryon } from "@/db/repos/tryon";
import { products, tryonJobAttempts, tryonJobs, users } from "@/db/schema";
import { silentLogger } from "@/server/logger";
import { normalizePhoto } from "@/server/photos/image";
import { judgeFullBody, PoseModel } from "@/server/photos/pose";
import { LocalDiskStorage, photoSetPrefix } from "@/server/photos/storage";
import { WarpRenderer, type Garment } from "@/server/tryon/renderer";
import { TryonWorker } from "@/server/tryon/worker";
import { photoFixtures } from "../tests/support/photos";
import { preparePostgresDatabase } from "../tests/support/postgres";
import { percentile, table } from "./report";

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const JOBS = Number(process.env.BENCH_JOBS ?? 40);
const ms = (values: number[]) => `${percentile(values, 50).toFixed(0)} / ${percentile(values, 95).toFixed(0)} ms`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const rows: string[][] = [["measure", "p50 / p95", "target", "notes"]];

// ---- validation -----------------------------------------------------------------------------------
const fixtures = await photoFixtures();
const photos = [fixtures.fullBody, fixtures.avatar, fixtures.kneesUp, fixtures.seated, fixtures.group];
const before = process.memoryUsage();
const pose = new PoseModel();
let t = performance.now();
{
  const first = await normalizePhoto(fixtures.fullBody);
  await pose.detect(first.pose.rgb, first.pose.width, first.pose.height);
}
const loadMs = performance.now() - t;
const validation: number[] = [];
const modelOnly: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const bytes = photos[i % photos.length]!;
  t = performance.now();
  const photo = await normalizePhoto(bytes);
  const m = performance.now();
  judgeFullBody(await pose.detect(photo.pose.rgb, photo.pose.width, photo.pose.height));
  modelOnly.push(performance.now() - m);
  validation.push(performance.now() - t);
}
// A phone camera's 12-megapixel JPEG (the full-body fixture scaled up): decoding dominates.
const phone = await sharp(fixtures.fullBody).resize(3000, 4000, { fit: "fill" }).jpeg({ quality: 90 }).toBuffer();
const phoneRuns: number[] = [];
for (let i = 0; i < Math.min(RUNS, 20); i++) {
  t = performance.now();
  const photo = await normalizePhoto(phone);
  judgeFullBody(await pose.detect(photo.pose.rgb, photo.pose.width, photo.pose.height));
  phoneRuns.push(performance.now() - t);
}
const after = process.memoryUsage();
rows.push(["validation per photo (decode, strip, pose)", ms(validation), "≤ 150 ms", `model alone ${ms(modelOnly)}; first call (model load) ${loadMs.toFixed(0)} ms`]);
rows.push(["validation, 12 MP phone photo (3000×4000 JPEG)", ms(phoneRuns), "≤ 150 ms", `${(phone.length / 1e6).toFixed(1)} MB file`]);
rows.push(["memory with the model loaded", `rss ${mb(after.rss)}`, "reported", `rss +${mb(after.rss - before.rss)}, heap +${mb(after.heapUsed - before.heapUsed)}, array buffers +${mb(after.arrayBuffers - before.arrayBuffers)}`]);

// ---- render ---------------------------------------------------------------------------------------
const normalized = await normalizePhoto(fixtures.fullBody);
const report = judgeFullBody(await pose.detect(normalized.pose.rgb, normalized.pose.width, normalized.pose.height));
const scale = normalized.width / normalized.pose.width;
const keypoints = report.keypoints.map((k) => ({ ...k, x: k.x * scale, y: k.y * scale }));
await pose.close();
const renderer = new WarpRenderer();
const top: Garment = { title: "tee", category: "tops", subcategory: "t-shirts", colors: ["navy", "white"], pattern: "striped" };
const outfit: Garment[] = [
  { title: "shirt", category: "tops", subcategory: "shirts", colors: ["white"], pattern: "solid" },
  { title: "jeans", category: "bottoms", subcategory: "jeans", colors: ["blue"], pattern: "solid" },
  { title: "sneakers", category: "shoes", subcategory: "sneakers", colors: ["white"], pattern: "solid" },
  { title: "blazer", category: "outerwear", subcategory: "blazers", colors: ["camel"], pattern: "solid" },
];
const one: number[] = [];
const four: number[] = [];
for (let i = 0; i < RUNS; i++) {
  t = performance.now();
  await renderer.render({ photo: normalized.jpeg, keypoints, garments: [top] });
  one.push(performance.now() - t);
  t = performance.now();
  await renderer.render({ photo: normalized.jpeg, keypoints, garments: outfit });
  four.push(performance.now() - t);
}
rows.push(["render, one item", ms(one), "≤ 500 ms", `${normalized.width}×${normalized.height} photo`]);
rows.push(["render, 4-garment outfit", ms(four), "—", "shirt, jeans, sneakers, blazer in one image"]);

// ---- jobs: pickup and throughput ---------------------------------------------------------------------
const url = await preparePostgresDatabase("stylist_bench_photos", 500);
const database = openPostgres(url, 4);
const db = database.db;
const assetDir = mkdtempSync(path.join(tmpdir(), "stylist-bench-assets-"));
const assets = new LocalDiskStorage(assetDir);
const userId = "bench-photos-user";
await db.delete(users).where(eq(users.id, userId));
await db.insert(users).values({ id: userId });
for (const type of ["photo_processing", "tryon"] as const) await appendConsentEvent(db, { userId, consentType: type, action: "granted", textVersion: "bench", source: "site", at: new Date() });
const photoSetId = crypto.randomUUID();
const photoId = crypto.randomUUID();
const key = `${photoSetPrefix(userId, photoSetId)}/${photoId}.jpg`;
await assets.put(key, normalized.jpeg, "image/jpeg");
await insertPhotoSet(db, { id: photoSetId, userId, source: "import" }, [{ id: photoId, storageKey: key, isPrimary: true, validationStatus: "approved", validationReport: { ...report, keypoints } }]);
const [item] = await db.select({ id: products.id }).from(products).where(eq(products.category, "tops")).limit(1);
const enqueue = () => db.transaction((tx) => enqueueTryon(tx as never, { userId, photoSetId, productId: item!.id, inputRefs: { photoId, productIds: [item!.id] }, maxAttempts: 3 }));

// Pickup: one idle in-process worker woken by NOTIFY; enqueue one job at a time.
const worker = new TryonWorker({ database, assets, renderer, log: silentLogger, pollMs: 5000 });
await worker.start();
await new Promise((r) => setTimeout(r, 300));
const pickups: number[] = [];
for (let i = 0; i < 30; i++) {
  const job = await enqueue();
  for (;;) {
    const [row] = await db.select({ status: tryonJobs.status }).from(tryonJobs).where(eq(tryonJobs.id, job.id));
    if (row?.status === "succeeded" || row?.status === "failed") break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const [a] = await db
    .select({ lag: sql<number>`extract(epoch from (${tryonJobAttempts.startedAt} - ${tryonJobs.createdAt})) * 1000` })
    .from(tryonJobAttempts)
    .innerJoin(tryonJobs, eq(tryonJobs.id, tryonJobAttempts.jobId))
    .where(eq(tryonJobs.id, job.id));
  pickups.push(Number(a!.lag));
}
await worker.stop();
rows.push(["pickup: enqueue to claim (idle worker, NOTIFY)", ms(pickups), "≤ 100 ms", "database clock: job created_at to attempt started_at"]);

// Throughput: two worker processes, as production runs them.
const ids: string[] = [];
for (let i = 0; i < JOBS; i++) ids.push((await db.insert(tryonJobs).values({ userId, photoSetId, productId: item!.id, inputRefs: { photoId, productIds: [item!.id] } }).returning({ id: tryonJobs.id }))[0]!.id);
const spawnWorker = (): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "scripts/worker.ts"], {
      detached: true,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, DATABASE_URL: url, ASSET_DIR: assetDir, LOG_LEVEL: "silent", AUTH_MODE: "dev", NODE_ENV: "development" },
    });
    child.stdout!.on("data", (c: Buffer) => c.toString().includes("ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`worker exited ${code}`)));
  });
// The jobs were inserted without NOTIFY, so the workers find them as they start: time from both ready.
const children = await Promise.all([spawnWorker(), spawnWorker()]);
t = performance.now();
for (;;) {
  const left = await db.select({ id: tryonJobs.id }).from(tryonJobs).where(inArray(tryonJobs.id, ids)).then((r) => r.length);
  const [done] = await db.select({ n: sql<number>`count(*)` }).from(tryonJobs).where(sql`${tryonJobs.id} in ${ids} and ${tryonJobs.status} in ('succeeded', 'failed')`);
  if (Number(done!.n) >= left) break;
  await new Promise((r) => setTimeout(r, 20));
}
const seconds = (performance.now() - t) / 1000;
for (const c of children) process.kill(-c.pid!, "SIGTERM");
const [failed] = await db.select({ n: sql<number>`count(*)` }).from(tryonJobs).where(sql`${tryonJobs.id} in ${ids} and ${tryonJobs.status} = 'failed'`);
rows.push(["throughput, 2 worker processes", `${(JOBS / seconds).toFixed(1)} jobs/s`, "reported", `${JOBS} single-item jobs in ${seconds.toFixed(1)} s, ${failed!.n} failed`]);

await db.delete(users).where(eq(users.id, userId));
await database.close();
console.log(`\n${table(rows)}`);
