import { openConfiguredDatabase } from "../open";
import { countProducts } from "../repos/catalog";
import { env } from "@/server/env";
import { seedCatalog } from "./catalog";

// npm run db:seed -- [count]   Generates (or extends) the catalog to `count` products (default CATALOG_SEED_SIZE).
const config = env();
const count = Number(process.argv[2] ?? config.catalogSeedSize);
if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
  console.error("count must be a whole number from 1 to 1,000,000");
  process.exit(2);
}
const database = await openConfiguredDatabase({ ...config, catalogSeedSize: 0 });
await database.migrate();
const started = Date.now();
await seedCatalog(database.db, {
  count,
  batchSize: 2000,
  onProgress: (done) => {
    if (done % 50_000 === 0) console.log(`  ${done} products`);
  },
});
console.log(`catalog has ${await countProducts(database.db)} products (${Date.now() - started} ms)`);
await database.close();
