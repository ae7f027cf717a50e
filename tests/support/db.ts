import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle } from "drizzle-orm/pglite";
import postgres from "postgres";
import { inject } from "vitest";
import * as schema from "@/db/schema";
import { openPostgres, type Database, type Db } from "@/db/client";
import { adminUrl, databaseUrl } from "./config";

export type TestDriver = "postgres" | "pglite";

export function testDriver(): TestDriver {
  return process.env.TEST_DB === "postgres" ? "postgres" : "pglite";
}

/** A test database; `url` is set on Postgres, for a second process (a worker) to connect to. */
export type TestDatabase = Database & { url?: string };

/** A private, migrated and seeded database for one test file. */
export async function openTestDatabase(): Promise<TestDatabase> {
  return testDriver() === "postgres" ? openPostgresCopy() : openPgliteCopy();
}

async function openPostgresCopy(): Promise<TestDatabase> {
  const template = inject("pgTemplate");
  const name = `stylist_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`create database ${name} template ${template}`);
      break;
    } catch (error) {
      // Two files copying the template at the same instant: Postgres asks the second to wait its turn.
      if (attempt > 20 || !String(error).includes("is being accessed by other users")) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const database = openPostgres(databaseUrl(name), 8);
  return {
    ...database,
    url: databaseUrl(name),
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function openPgliteCopy(): Promise<Database> {
  const dump = new Blob([readFileSync(inject("pgliteDump"))]);
  const client = await PGlite.create({ loadDataDir: dump, extensions: { pg_trgm, fuzzystrmatch } });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    driver: "pglite",
    migrate: async () => {},
    close: () => client.close(),
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, () => onNotify());
      return async () => {
        if (!client.closed) await unlisten();
      };
    },
  };
}
