import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import * as photosRepo from "@/db/repos/photos";
import * as repo from "@/db/repos/tryon";
import { photos, products } from "@/db/schema";
import type { Logger } from "../logger";
import { grantedConsents } from "../photos/consent";
import type { Keypoint } from "../photos/pose";
import type { AssetStorage } from "../photos/storage";
import { RenderRefused, type Renderer } from "./renderer";

export interface WorkerOptions {
  database: Database;
  assets: AssetStorage;
  renderer: Renderer;
  log: Logger;
  /** How long a claim holds before another worker may take the job (renewed while rendering). */
  leaseMs?: number;
  /** Poll interval when no NOTIFY arrives (a missed notification costs at most this). */
  pollMs?: number;
  /** First retry delay; doubles with each attempt. */
  backoffMs?: number;
  /** Bench and test knob: extra time spent rendering (a slow model, or a window to kill the worker in). */
  renderDelayMs?: number;
  /** A file touched on every loop, for the container's health check (a stuck loop stops touching it). */
  heartbeatFile?: string;
  /**
   * Every this many ms, one log line in CloudWatch's Embedded Metric Format with the queue's depth and
   * oldest wait (namespace Stylist), which the workers scale on and the queue-age alarm watches.
   */
  metricsEveryMs?: number;
  id?: string;
}

export const DEFAULT_LEASE_MS = 30_000;

/**
 * Runs try-on jobs: claims one (FOR UPDATE SKIP LOCKED, with a lease), checks consent again, renders
 * outside any transaction, writes the output, then finishes the job only while it still holds it (a
 * deleted photo set or a re-claimed job gets nothing written: the file is removed again). Failures
 * retry with exponential backoff up to the job's max attempts; every attempt is recorded. Wakes on
 * NOTIFY from an enqueue, and polls as a fallback. Any number run at once, in-process or as
 * `npm run worker` processes.
 */
export class TryonWorker {
  readonly id: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly backoffMs: number;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private pendingWake = false;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(private readonly o: WorkerOptions) {
    this.id = o.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = o.pollMs ?? 1000;
    this.backoffMs = o.backoffMs ?? 2000;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unlisten = await this.o.database.listen(repo.TRYON_CHANNEL, () => this.wake());
    this.loop = this.run();
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  /** Stops taking jobs; the job in hand is finished first. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.unlisten?.().catch(() => undefined);
  }

  private lastMetrics = 0;

  /** The loop's pulse: the heartbeat file, and the queue metrics when they are due. */
  private async pulse(): Promise<void> {
    if (this.o.heartbeatFile) await writeFile(this.o.heartbeatFile, String(Date.now())).catch(() => undefined);
    if (!this.o.metricsEveryMs || Date.now() - this.lastMetrics < this.o.metricsEveryMs) return;
    this.lastMetrics = Date.now();
    const { depth, oldestSeconds } = await repo.queueStats(this.o.database.db);
    process.stdout.write(
      `${JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            { Namespace: "Stylist", Dimensions: [[]], Metrics: [{ Name: "TryonQueueDepth", Unit: "Count" }, { Name: "TryonQueueAgeSeconds", Unit: "Seconds" }] },
          ],
        },
        TryonQueueDepth: depth,
        TryonQueueAgeSeconds: Math.round(oldestSeconds),
        worker: this.id,
      })}\n`,
    );
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.pulse().catch(() => undefined);
      let worked = false;
      try {
        worked = await this.runOnce();
      } catch (error) {
        this.o.log.error({ err: error instanceof Error ? error.message : String(error) }, "try-on worker loop error");
      }
      if (worked || !this.running) continue;
      if (this.pendingWake) {
        this.pendingWake = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
      this.pendingWake = false;
    }
  }

  /** Claims and runs one job; false when there was none. */
  async runOnce(): Promise<boolean> {
    const db = this.o.database.db;
    await repo.failAbandoned(db);
    const job = await repo.claimTryon(db, this.id, this.leaseMs);
    if (!job) return false;
    const started = performance.now();
    const attemptId = await repo.startAttempt(db, job.id, job.attempts, this.id);
    const log = this.o.log.child({ jobId: job.id, attempt: job.attempts });
    const renew = setInterval(() => {
      void repo.updateHeld(db, job.id, this.id, { leaseExpiresAt: new Date(Date.now() + this.leaseMs) }).catch(() => undefined);
    }, Math.max(200, this.leaseMs / 3));
    let written: string | null = null;
    try {
      if (!(await this.consented(job.userId))) {
        await repo.updateHeld(db, job.id, this.id, { status: "failed", error: "consent_revoked", leaseExpiresAt: null });
        await repo.finishAttempt(db, attemptId, "failed", performance.now() - started, "consent_revoked");
        log.info("try-on refused: consent revoked");
        return true;
      }
      const input = job.inputRefs as { photoId: string; productIds: string[] };
      const [photo] = await db.select().from(photos).where(inArray(photos.id, [input.photoId]));
      const stored = photo?.storageKey ? await this.o.assets.get(photo.storageKey) : null;
      const photoKey = photo?.storageKey;
      if (!photo || !photoKey || !stored) throw new RenderRefused("the photo is gone");
      const items = await db.select().from(products).where(inArray(products.id, input.productIds));
      if (items.length === 0) throw new RenderRefused("the items are no longer in the catalog");
      await repo.updateHeld(db, job.id, this.id, { progress: 40 });
      const keypoints = (photo.validationReport?.["keypoints"] ?? []) as Keypoint[];
      const output = await this.o.renderer.render({
        photo: stored.bytes,
        keypoints,
        garments: input.productIds.map((id) => items.find((p) => p.id === id)).filter((p) => p !== undefined),
      });
      if (this.o.renderDelayMs) await new Promise((resolve) => setTimeout(resolve, this.o.renderDelayMs));
      // Under the photo set's folder: deleting the set deletes its renders.
      const key = `${photoKey.replace(/\/[^/]+$/, "")}/renders/${job.id}-${job.attempts}.jpg`;
      await this.o.assets.put(key, output.jpeg, "image/jpeg");
      written = key;
      const done = await db.transaction(async (tx) => {
        await photosRepo.lockConsents(tx as never, job.userId);
        if (!(await this.consented(job.userId, tx as never))) {
          await repo.updateHeld(tx as never, job.id, this.id, { status: "failed", error: "consent_revoked", leaseExpiresAt: null });
          return false;
        }
        return repo.updateHeld(tx as never, job.id, this.id, {
          status: "succeeded",
          progress: 100,
          leaseExpiresAt: null,
          error: null,
          outputRefs: { storageKey: key, width: output.width, height: output.height, renderer: this.o.renderer.name, photoStorageKey: photoKey },
        });
      });
      if (!done) {
        // Deleted, re-claimed or consent withdrawn meanwhile: nothing of this attempt stays.
        await this.o.assets.delete(key);
        written = null;
        await repo.finishAttempt(db, attemptId, "failed", performance.now() - started, "the job was deleted, withdrawn or taken over while rendering");
        return true;
      }
      await repo.finishAttempt(db, attemptId, "succeeded", performance.now() - started);
      log.info({ ms: Math.round(performance.now() - started) }, "try-on rendered");
      return true;
    } catch (error) {
      if (written) await this.o.assets.delete(written).catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      const permanent = error instanceof RenderRefused || job.attempts >= job.maxAttempts;
      if (permanent) {
        await repo.updateHeld(db, job.id, this.id, { status: "failed", error: message, leaseExpiresAt: null });
        await repo.finishAttempt(db, attemptId, "failed", performance.now() - started, message);
      } else {
        const delay = this.backoffMs * 2 ** (job.attempts - 1);
        await repo.updateHeld(db, job.id, this.id, { status: "queued", lockedBy: null, leaseExpiresAt: null, runAfter: new Date(Date.now() + delay), error: message, progress: 0 });
        await repo.finishAttempt(db, attemptId, "retry", performance.now() - started, message);
      }
      log.warn({ err: message, permanent }, "try-on attempt failed");
      return true;
    } finally {
      clearInterval(renew);
    }
  }

  private async consented(userId: string, db = this.o.database.db): Promise<boolean> {
    const granted = await grantedConsents(db, userId);
    return granted.has("photo_processing") && granted.has("tryon");
  }
}
