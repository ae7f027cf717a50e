import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { tryonJobAttempts, tryonJobs } from "../schema";
import { rowsOf } from "./rows";

export type TryonJobRow = typeof tryonJobs.$inferSelect;

/** Workers LISTEN here; an enqueue NOTIFYs it, delivered when its transaction commits. */
export const TRYON_CHANNEL = "tryon_jobs";

export async function enqueueTryon(
  db: Db,
  job: { userId: string; photoSetId: string; productId?: string; outfitId?: string; inputRefs: Record<string, unknown>; maxAttempts: number },
): Promise<TryonJobRow> {
  const [row] = await db
    .insert(tryonJobs)
    .values({ userId: job.userId, photoSetId: job.photoSetId, productId: job.productId ?? null, outfitId: job.outfitId ?? null, inputRefs: job.inputRefs, maxAttempts: job.maxAttempts })
    .returning();
  await db.execute(sql`select pg_notify(${TRYON_CHANNEL}, '')`);
  return row!;
}

export async function findTryonJob(db: Db, userId: string, jobId: string): Promise<TryonJobRow | undefined> {
  const [row] = await db.select().from(tryonJobs).where(and(eq(tryonJobs.id, jobId), eq(tryonJobs.userId, userId))).limit(1);
  return row;
}

/**
 * Claims the next runnable job: queued and due, or running with an expired lease (its worker died and
 * attempts remain). SKIP LOCKED lets any number of workers claim at once without waiting on each
 * other or taking the same job; the lease makes a dead worker's job claimable again.
 */
export async function claimTryon(db: Db, worker: string, leaseMs: number): Promise<TryonJobRow | undefined> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      update tryon_jobs j
         set status = 'running', attempts = j.attempts + 1, locked_by = ${worker}, progress = 10,
             lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
       where j.id = (
         select id from tryon_jobs
          where (status = 'queued' and run_after <= now())
             or (status = 'running' and lease_expires_at < now() and attempts < max_attempts)
          order by run_after, created_at
          for update skip locked
          limit 1)
      returning j.id`),
  );
  if (rows.length === 0) return undefined;
  // A previous attempt still marked running belonged to a worker that stopped.
  await db
    .update(tryonJobAttempts)
    .set({ outcome: "failed", error: "the worker stopped before finishing (lease expired)", finishedAt: sql`now()` })
    .where(and(eq(tryonJobAttempts.jobId, rows[0]!.id), eq(tryonJobAttempts.outcome, "running")));
  const [job] = await db.select().from(tryonJobs).where(eq(tryonJobs.id, rows[0]!.id));
  return job;
}

/** Jobs whose worker died on their last allowed attempt: failed for good, with the reason. */
export async function failAbandoned(db: Db): Promise<number> {
  const rows = await db
    .update(tryonJobs)
    .set({ status: "failed", error: "the render was interrupted too many times", leaseExpiresAt: null, updatedAt: sql`now()` })
    .where(and(eq(tryonJobs.status, "running"), sql`${tryonJobs.leaseExpiresAt} < now()`, sql`${tryonJobs.attempts} >= ${tryonJobs.maxAttempts}`))
    .returning({ id: tryonJobs.id });
  return rows.length;
}

export async function startAttempt(db: Db, jobId: string, attempt: number, worker: string): Promise<string> {
  const [row] = await db.insert(tryonJobAttempts).values({ jobId, attempt, worker }).returning({ id: tryonJobAttempts.id });
  return row!.id;
}

export async function finishAttempt(db: Db, attemptId: string, outcome: "succeeded" | "retry" | "failed", durationMs: number, error?: string): Promise<void> {
  await db.update(tryonJobAttempts).set({ outcome, error: error ?? null, durationMs: Math.round(durationMs), finishedAt: sql`now()` }).where(eq(tryonJobAttempts.id, attemptId));
}

export async function attemptsOf(db: Db, jobId: string) {
  return db.select().from(tryonJobAttempts).where(eq(tryonJobAttempts.jobId, jobId)).orderBy(tryonJobAttempts.attempt);
}

/** Only while this worker still holds the job: a job that was deleted or re-claimed is left alone. */
export async function updateHeld(db: Db, jobId: string, worker: string, set: Partial<typeof tryonJobs.$inferInsert>): Promise<boolean> {
  const rows = await db
    .update(tryonJobs)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(tryonJobs.id, jobId), eq(tryonJobs.lockedBy, worker), eq(tryonJobs.status, "running")))
    .returning({ id: tryonJobs.id });
  return rows.length > 0;
}

export async function recentJobs(db: Db, userId: string, limit = 20): Promise<TryonJobRow[]> {
  return db.select().from(tryonJobs).where(eq(tryonJobs.userId, userId)).orderBy(desc(tryonJobs.createdAt)).limit(limit);
}

/** How many jobs wait, and how long the oldest has waited (the workers' scaling signal). */
export async function queueStats(db: Db): Promise<{ depth: number; oldestSeconds: number }> {
  const [row] = rowsOf<{ depth: string | number; oldest: string | number | null }>(
    await db.execute(sql`select count(*) as depth, extract(epoch from now() - min(created_at)) as oldest
                           from tryon_jobs where status = 'queued' and run_after <= now()`),
  );
  return { depth: Number(row?.depth ?? 0), oldestSeconds: Math.max(0, Number(row?.oldest ?? 0)) };
}
