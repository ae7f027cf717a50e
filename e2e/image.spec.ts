import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openPostgres } from "@/db/client";
import { appendConsentEvent, insertPhotoSet } from "@/db/repos/photos";
import { products, tryonJobs, users } from "@/db/schema";
import { seedCatalog } from "@/db/seed/catalog";
import { normalizePhoto } from "@/server/photos/image";
import { judgeFullBody, PoseModel } from "@/server/photos/pose";
import { LocalDiskStorage, photoSetPrefix } from "@/server/photos/storage";
import { databaseUrl } from "../tests/support/config";
import { photoFixtures } from "../tests/support/photos";
import { adminConnection } from "../tests/support/postgres";

/**
 * The container image's three commands, started exactly as the image starts them (docker/entrypoint.sh
 * in a tree laid out as the Dockerfile lays out /app: the standalone server, its static files, the
 * bundled commands, the migrations, production node_modules) with the image's environment, against a
 * fresh Postgres database: `migrate` brings it up to date, `web` serves health and /mcp, `worker`
 * renders a queued try-on. Docker itself cannot run on this machine.
 */
const root = process.cwd();
const running: ChildProcess[] = [];

function stageImageTree(): string {
  spawnSync("npx", ["tsx", "scripts/build-commands.ts"], { cwd: root, stdio: "inherit" });
  const app = mkdtempSync(path.join(tmpdir(), "stylist-image-"));
  cpSync(path.join(root, ".next/standalone"), app, { recursive: true });
  cpSync(path.join(root, ".next/static"), path.join(app, ".next/static"), { recursive: true });
  cpSync(path.join(root, "public"), path.join(app, "public"), { recursive: true });
  cpSync(path.join(root, "dist"), path.join(app, "dist"), { recursive: true });
  cpSync(path.join(root, "db/migrations"), path.join(app, "db/migrations"), { recursive: true });
  mkdirSync(path.join(app, "server/photos"), { recursive: true });
  cpSync(path.join(root, "server/photos/pose-worker.cjs"), path.join(app, "server/photos/pose-worker.cjs"));
  // The image copies the production node_modules over the traced ones; here, the installed tree.
  rmSync(path.join(app, "node_modules"), { recursive: true, force: true });
  symlinkSync(path.join(root, "node_modules"), path.join(app, "node_modules"));
  return app;
}

function start(app: string, command: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn("sh", [path.join(root, "docker/entrypoint.sh"), command], { cwd: app, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  running.push(child);
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

test.afterAll(() => {
  for (const child of running) {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // gone already
    }
  }
});

test("the image's migrate, web and worker commands run against Postgres as the image runs them", async () => {
  test.setTimeout(180_000);
  expect(existsSync(path.join(root, ".next/standalone/server.js")), "a standalone build (next.config output)").toBe(true);
  const app = stageImageTree();
  const dbName = `stylist_image_${process.pid}_${Date.now().toString(36)}`;
  const admin = adminConnection();
  await admin.unsafe(`create database ${dbName}`);
  const assetDir = mkdtempSync(path.join(tmpdir(), "stylist-image-assets-"));
  const port = 3900 + Math.floor(Math.random() * 90);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    TRYON_WORKER: "off",
    APP_BASE_URL: `http://127.0.0.1:${port}`,
    AUTH_MODE: "dev",
    DATABASE_URL: databaseUrl(dbName),
    ASSET_DIR: assetDir,
    LOG_LEVEL: "warn",
    TRYON_HEARTBEAT_FILE: path.join(assetDir, "heartbeat"),
  };
  try {
    // migrate: a one-off task that exits 0 when the schema is current.
    const migrate = spawnSync("sh", [path.join(root, "docker/entrypoint.sh"), "migrate"], { cwd: app, env, encoding: "utf8" });
    expect(migrate.status, migrate.stderr + migrate.stdout).toBe(0);
    expect(migrate.stdout).toContain("migrations applied (postgres)");
    const database = openPostgres(databaseUrl(dbName), 2);
    await seedCatalog(database.db, { count: 200, start: 0, batchSize: 200 });

    // web: health, then /mcp as a client lists tools.
    const web = start(app, "web", env);
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.status ?? 0, { timeout: 60_000, message: web.output() }).toBe(200);
    const listed = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain("tryon.renderItemOnUser");

    // worker: a queued try-on is rendered and written.
    const fixtures = await photoFixtures();
    const photo = await normalizePhoto(fixtures.fullBody);
    const pose = new PoseModel();
    const report = judgeFullBody(await pose.detect(photo.pose.rgb, photo.pose.width, photo.pose.height));
    await pose.close();
    const scale = photo.width / photo.pose.width;
    const userId = "image-user";
    await database.db.insert(users).values({ id: userId });
    for (const type of ["photo_processing", "tryon"] as const) await appendConsentEvent(database.db, { userId, consentType: type, action: "granted", textVersion: "test", source: "site", at: new Date() });
    const photoSetId = crypto.randomUUID();
    const photoId = crypto.randomUUID();
    const key = `${photoSetPrefix(userId, photoSetId)}/${photoId}.jpg`;
    await new LocalDiskStorage(assetDir).put(key, photo.jpeg, "image/jpeg");
    await insertPhotoSet(database.db, { id: photoSetId, userId, source: "import" }, [
      { id: photoId, storageKey: key, isPrimary: true, validationStatus: "approved", validationReport: { ...report, keypoints: report.keypoints.map((k) => ({ ...k, x: k.x * scale, y: k.y * scale })) } },
    ]);
    const [item] = await database.db.select({ id: products.id }).from(products).where(eq(products.category, "tops")).limit(1);
    const [job] = await database.db.insert(tryonJobs).values({ userId, photoSetId, productId: item!.id, inputRefs: { photoId, productIds: [item!.id] } }).returning();
    const worker = start(app, "worker", env);
    await expect
      .poll(async () => (await database.db.select({ status: tryonJobs.status }).from(tryonJobs).where(eq(tryonJobs.id, job!.id)))[0]?.status, { timeout: 60_000, message: worker.output() })
      .toBe("succeeded");
    expect(readdirSync(path.join(assetDir, ...photoSetPrefix(userId, photoSetId).split("/"), "renders")).filter((f) => f.endsWith(".jpg"))).toHaveLength(1);
    expect(existsSync(env.TRYON_HEARTBEAT_FILE!)).toBe(true);
    await database.close();
  } finally {
    for (const child of running) {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // gone already
      }
    }
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    rmSync(app, { recursive: true, force: true });
  }
});
