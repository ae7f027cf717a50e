import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { idempotencyKeys } from "../schema";

export interface IdempotencyRecord {
  requestHash: string;
  response: unknown;
}

/**
 * Claims (user, procedure, key) for this transaction. Returns null when the claim is ours; otherwise the
 * record another request already committed. A concurrent duplicate blocks on the primary key until the
 * first transaction ends, then sees its record: one effect, never two.
 */
export async function claimIdempotencyKey(
  db: Db,
  claim: { userId: string; procedure: string; key: string; requestHash: string },
): Promise<IdempotencyRecord | null> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ ...claim, response: null })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return null;
  const rows = await db
    .select({ requestHash: idempotencyKeys.requestHash, response: idempotencyKeys.response })
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.userId, claim.userId),
        eq(idempotencyKeys.procedure, claim.procedure),
        eq(idempotencyKeys.key, claim.key),
      ),
    )
    .limit(1);
  const existing = rows[0];
  if (!existing) throw new Error("idempotency key vanished between insert and read");
  return existing;
}

export async function storeIdempotentResponse(
  db: Db,
  claim: { userId: string; procedure: string; key: string },
  response: unknown,
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ response })
    .where(
      and(
        eq(idempotencyKeys.userId, claim.userId),
        eq(idempotencyKeys.procedure, claim.procedure),
        eq(idempotencyKeys.key, claim.key),
      ),
    );
}
