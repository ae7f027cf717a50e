import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openPglite } from "@/db/client";
import { seedCatalog } from "@/db/seed/catalog";
import { TEST_CATALOG_SIZE } from "./config";
import { adminConnection, preparePostgresDatabase } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    pgTemplate: string;
    pgliteDump: string;
  }
}

/**
 * Migrates and seeds one database per run (a Postgres template database, or a PGlite dump), so each
 * test file starts from a private copy in milliseconds instead of migrating again.
 */
export default async function setup(project: TestProject) {
  const kind = project.config.env?.TEST_DB;
  if (kind === "postgres") return setupPostgres(project);
  return setupPglite(project);
}

async function setupPostgres(project: TestProject) {
  const template = `stylist_tpl_${process.pid}_${Date.now().toString(36)}`;
  await preparePostgresDatabase(template, TEST_CATALOG_SIZE);
  const sql = adminConnection();
  project.provide("pgTemplate", template);
  project.provide("pgliteDump", "");
  return async () => {
    const leftovers = await sql<{ datname: string }[]>`
      select datname from pg_database where datname like ${`stylist_t%_${process.pid}_%`}`;
    for (const { datname } of leftovers) await sql.unsafe(`drop database if exists ${datname} with (force)`);
    await sql.end();
  };
}

async function setupPglite(project: TestProject) {
  const database = await openPglite();
  await database.migrate();
  await seedCatalog(database.db, { count: TEST_CATALOG_SIZE });
  const client = (database.db as unknown as { $client: { dumpDataDir(c: "none"): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir("none");
  const dir = mkdtempSync(path.join(tmpdir(), "stylist-pglite-"));
  const file = path.join(dir, "seeded.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide("pgTemplate", "");
  project.provide("pgliteDump", file);
  return () => rmSync(dir, { recursive: true, force: true });
}
