import { ensureUser } from "@/db/repos/users";
import type { Actor, Context } from "./context";

/**
 * Runs `work` in one database transaction, or inside the caller's when one is already open, so a verb
 * can be composed into a larger one. A signed-in user's row is ensured first (their first write may
 * be their first contact). Only database work belongs inside: fetches, image models and Stripe calls
 * run before, never while the transaction holds its locks (on PGlite it would freeze every request).
 */
export async function withTransaction<A extends Actor, T>(ctx: Context<A>, work: (tx: Context<A>) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return work(ctx);
  return ctx.db.transaction(async (db) => {
    const txCtx: Context<A> = { ...ctx, db, inTransaction: true };
    const actor: Actor = ctx.actor;
    if (actor.kind === "user") await ensureUser(db, { id: actor.userId, email: actor.email, name: actor.name });
    return work(txCtx);
  });
}
