import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { rowsOf } from "./rows";

/** Hashes of the migrations drizzle has applied (its own bookkeeping table), oldest first. */
export async function appliedMigrationCount(db: Db): Promise<number> {
  const exists = await db.execute<{ present: boolean }>(
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!rowsOf<{ present: boolean }>(exists)[0]?.present) return 0;
  const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return rowsOf<{ n: number }>(rows)[0]?.n ?? 0;
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
