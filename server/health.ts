import { readFileSync } from "node:fs";
import path from "node:path";
import { MIGRATIONS_FOLDER, type Database } from "@/db/client";
import { appliedMigrationCount, ping } from "@/db/repos/health";
import { jsonResponse, requestIdOf } from "./http";

export interface HealthReport {
  status: "ok" | "degraded" | "down";
  database: { status: "ok" | "down"; driver: Database["driver"]; error?: string };
  migrations: { applied: number; expected: number; pending: number };
}

function expectedMigrations(): number {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

export async function healthReport(database: Database): Promise<HealthReport> {
  const expected = expectedMigrations();
  try {
    await ping(database.db);
    const applied = await appliedMigrationCount(database.db);
    const pending = Math.max(0, expected - applied);
    return {
      status: pending === 0 ? "ok" : "degraded",
      database: { status: "ok", driver: database.driver },
      migrations: { applied, expected, pending },
    };
  } catch {
    return {
      status: "down",
      database: { status: "down", driver: database.driver, error: "The database did not answer." },
      migrations: { applied: 0, expected, pending: expected },
    };
  }
}

/** GET /api/health: 200 while the database answers (status "degraded" with pending migrations), else 503. */
export async function healthResponse(request: Request, database: Database): Promise<Response> {
  const report = await healthReport(database);
  return jsonResponse(report, { status: report.status === "down" ? 503 : 200, requestId: requestIdOf(request) });
}
