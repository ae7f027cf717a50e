import { buildIfNeeded, startNextApp } from "../tests/support/next-app";
import { adminConnection, preparePostgresDatabase } from "../tests/support/postgres";

/** A fresh Postgres database and a production build (skipped with E2E_SKIP_BUILD=1 when one exists). */
export default async function globalSetup() {
  const dbName = `stylist_e2e_${process.pid}_${Date.now().toString(36)}`;
  const databaseUrl = await preparePostgresDatabase(dbName, 1500);

  buildIfNeeded(process.env.E2E_SKIP_BUILD !== "1");
  const app = await startNextApp({ databaseUrl });
  process.env.E2E_APP_URL = app.url;
  process.env.E2E_ISSUER = app.idp.issuer;
  process.env.E2E_AUDIENCE = `${app.url}/mcp`;

  return async () => {
    await app.stop();
    if (process.env.E2E_SHOW_APP_LOG === "1") console.log(app.output());
    const sql = adminConnection();
    await sql.unsafe(`drop database if exists ${dbName} with (force)`);
    await sql.end();
  };
}
