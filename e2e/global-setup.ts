import postgres from "postgres";
import { openPostgres } from "../db/client";
import { seedCatalog } from "../db/seed/catalog";
import { adminUrl, assertLocal, databaseUrl } from "../tests/support/config";
import { buildIfNeeded, startNextApp } from "../tests/support/next-app";

/** A fresh Postgres database and a production build (skipped with E2E_SKIP_BUILD=1 when one exists). */
export default async function globalSetup() {
  const admin = adminUrl();
  assertLocal(admin);
  const dbName = `stylist_e2e_${process.pid}_${Date.now().toString(36)}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${dbName}`);
  const database = openPostgres(databaseUrl(dbName), 2);
  await database.migrate();
  await seedCatalog(database.db, { count: 1500 });
  await database.close();

  buildIfNeeded(process.env.E2E_SKIP_BUILD !== "1");
  const app = await startNextApp({ databaseUrl: databaseUrl(dbName) });
  process.env.E2E_APP_URL = app.url;
  process.env.E2E_ISSUER = app.idp.issuer;
  process.env.E2E_AUDIENCE = `${app.url}/mcp`;

  return async () => {
    await app.stop();
    if (process.env.E2E_SHOW_APP_LOG === "1") console.log(app.output());
    await sql.unsafe(`drop database if exists ${dbName} with (force)`);
    await sql.end();
  };
}
