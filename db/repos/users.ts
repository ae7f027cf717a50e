import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { users } from "../schema";

/** Creates the user row on first contact; later calls refresh what the identity provider told us. */
export async function ensureUser(db: Db, user: { id: string; email?: string; name?: string }): Promise<void> {
  await db
    .insert(users)
    .values({ id: user.id, email: user.email ?? null, name: user.name ?? null })
    .onConflictDoUpdate({
      target: users.id,
      set: {
        lastSeenAt: sql`now()`,
        email: sql`coalesce(excluded.email, ${users.email})`,
        name: sql`coalesce(excluded.name, ${users.name})`,
      },
    });
}
