import { openConfiguredDatabase } from "./open";
import { env } from "@/server/env";
import { correctGeneratedSeasons, deriveMissingAttributes } from "./seed/backfill";

// npm run db:migrate: applies committed migrations to DATABASE_URL (PGlite migrates itself on start).
const config = env();
const database = await openConfiguredDatabase({ ...config, catalogSeedSize: 0 });
await database.migrate();
const derived = await deriveMissingAttributes(database.db);
if (derived > 0) console.log(`derived search attributes for ${derived} products`);
const corrected = await correctGeneratedSeasons(database.db);
if (corrected > 0) console.log(`corrected the seasons of ${corrected} generated products`);
await database.close();
console.log(`migrations applied (${database.driver})`);
