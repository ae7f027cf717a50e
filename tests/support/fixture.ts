import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import type { Database, Db } from "@/db/client";
import { SCOPES } from "@/server/auth/scopes";
import type { Context, Via } from "@/server/context";
import { silentLogger } from "@/server/logger";
import { startTestApp, type TestApp } from "./app";
import { openTestDatabase } from "./db";

/** A private database for the test file, opened before its tests and dropped after. */
export function useTestDatabase(): { readonly database: Database } {
  const fixture = {} as { database: Database };
  beforeAll(async () => {
    fixture.database = await openTestDatabase();
  });
  afterAll(async () => {
    await fixture.database?.close();
  });
  return fixture;
}

/** The same, plus the app's HTTP doors on a loopback port with their own identity provider. */
export function useTestApp(): { readonly database: Database; readonly app: TestApp } {
  const fixture = {} as { database: Database; app: TestApp };
  beforeAll(async () => {
    fixture.database = await openTestDatabase();
    fixture.app = await startTestApp(fixture.database);
  });
  afterAll(async () => {
    await fixture.app?.close();
    await fixture.database?.close();
  });
  return fixture;
}

/** A signed-in user's context with every scope, for calling procedures directly. */
export function userContext(db: Db, userId: string, via: Via = "mcp"): Context {
  return {
    actor: { kind: "user", userId, scopes: new Set(SCOPES), via },
    db,
    log: silentLogger,
    requestId: randomUUID(),
    now: () => new Date(),
    appBaseUrl: "http://localhost:3000",
    secrets: { appSecret: "test-app-secret-of-at-least-32-characters", checkoutRedirectOrigins: ["http://localhost:3000"] },
  };
}
