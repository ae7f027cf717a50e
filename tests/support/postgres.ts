import postgres from "postgres";
import { openPostgres } from "@/db/client";
import { countProducts } from "@/db/repos/catalog";
import { correctGeneratedSeasons } from "@/db/seed/backfill";
import { seedCatalog } from "@/db/seed/catalog";
import { adminUrl, assertLocal, databaseUrl } from "./config";

/** A connection to the local server's maintenance database, for creating and dropping test databases. */
export function adminConnection() {
  const url = adminUrl();
  assertLocal(url);
  return postgres(url, { max: 1, onnotice: () => {} });
}

/**
 * Creates `name` on the local server unless it exists, migrates it and tops its catalog up to
 * `products` generated items. A kept database (the benches') gets the generator's seasons where they
 * changed, as a deployment's migration step does. Returns its URL.
 */
export async function preparePostgresDatabase(name: string, products: number): Promise<string> {
  const admin = adminConnection();
  const exists = await admin`select 1 from pg_database where datname = ${name}`;
  if (exists.length === 0) await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = databaseUrl(name);
  const database = openPostgres(url, 2);
  try {
    await database.migrate();
    await correctGeneratedSeasons(database.db);
    const have = await countProducts(database.db);
    if (have < products) await seedCatalog(database.db, { count: products - have, start: have, batchSize: 2000 });
  } finally {
    await database.close();
  }
  return url;
}
