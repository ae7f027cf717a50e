import { openConfiguredDatabase } from "./open";
import { env } from "@/server/env";

// npm run db:migrate: applies committed migrations to DATABASE_URL (PGlite migrates itself on start).
const config = env();
const database = await openConfiguredDatabase({ ...config, catalogSeedSize: 0 });
await database.migrate();
await database.close();
console.log(`migrations applied (${database.driver})`);
