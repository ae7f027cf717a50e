import { countProducts } from "./repos/catalog";
import type { Database } from "./client";
import { correctGeneratedSeasons, deriveMissingAttributes } from "./seed/backfill";
import { seedCatalog } from "./seed/catalog";

/** The embedded default's first run: migrate, then generate the catalog if it is empty. */
export async function prepareEmbeddedDatabase(
  database: Database,
  options: { catalogSize: number; log?: (msg: string) => void },
): Promise<void> {
  await database.migrate();
  await deriveMissingAttributes(database.db);
  await correctGeneratedSeasons(database.db);
  if ((await countProducts(database.db)) === 0 && options.catalogSize > 0) {
    const started = Date.now();
    await seedCatalog(database.db, { count: options.catalogSize });
    options.log?.(`seeded ${options.catalogSize} products in ${Date.now() - started} ms`);
  }
}
