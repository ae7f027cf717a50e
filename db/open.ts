import type { Env } from "@/server/env";
import { openPglite, openPostgres, type Database } from "./client";
import { prepareEmbeddedDatabase } from "./bootstrap";

/** The configured database: Postgres when DATABASE_URL is set, else embedded PGlite (migrated and seeded on first run). */
export async function openConfiguredDatabase(config: Env, log?: (msg: string) => void): Promise<Database> {
  if (config.database.kind === "postgres") return openPostgres(config.database.url, config.database.poolMax);
  const database = await openPglite(config.database.dataDir);
  await prepareEmbeddedDatabase(database, { catalogSize: config.catalogSeedSize, log });
  return database;
}
