import { readFileSync } from "node:fs";
import { openConfiguredDatabase } from "../open";
import { catalogLoaded, upsertProducts } from "../repos/catalog";
import { env } from "@/server/env";
import { parseMerchantFeed } from "./merchant-feed";

// npm run catalog:import -- <feed file>   (Google Merchant Center XML, TSV or CSV)
// On the embedded database, stop the dev server first: one PGlite directory, one process.
const file = process.argv[2];
if (!file) {
  console.error("usage: npm run catalog:import -- <feed.xml|feed.tsv|feed.csv>");
  process.exit(2);
}
const { products, skipped } = parseMerchantFeed(readFileSync(file, "utf8"));
const database = await openConfiguredDatabase(env());
for (let i = 0; i < products.length; i += 500) await upsertProducts(database.db, products.slice(i, i + 500));
await catalogLoaded(database.db);
await database.close();
console.log(`imported ${products.length} products from ${file}; skipped ${skipped.length}`);
for (const s of skipped.slice(0, 50)) console.log(`  skipped ${s.id}: ${s.reason}`);
