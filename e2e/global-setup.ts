import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import postgres from "postgres";
import { openPostgres } from "../db/client";
import { seedCatalog } from "../db/seed/catalog";
import { adminUrl, assertLocal, databaseUrl } from "../tests/support/config";
import { startIdentityProvider } from "../tests/support/oidc";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitForHealth(url: string, app: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`the app exited with code ${app.exitCode}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not become healthy within ${timeoutMs} ms`);
}

function stopApp(app: ChildProcess): void {
  if (app.pid !== undefined && app.exitCode === null) process.kill(-app.pid, "SIGTERM");
}

/** Builds the app (unless E2E_SKIP_BUILD=1 and a build exists), then starts it in oauth mode on Postgres. */
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

  if (!(process.env.E2E_SKIP_BUILD === "1" && existsSync(".next/BUILD_ID"))) {
    const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const port = await freePort();
  const appUrl = `http://localhost:${port}`;
  const idp = await startIdentityProvider({ audience: `${appUrl}/mcp`, appBaseUrl: appUrl });
  const app = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(port)], {
  // Its own process group, so stopping it also stops the next-server process npx starts.
  detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_MODE: "oauth",
      APP_BASE_URL: appUrl,
      AUTH0_DOMAIN: idp.domain,
      AUTH0_CLIENT_ID: idp.siteClient.clientId,
      AUTH0_CLIENT_SECRET: idp.siteClient.clientSecret,
      AUTH0_SECRET: "e2e-cookie-secret-0123456789abcdef0123456789",
      AUTH0_ALLOW_INSECURE_REQUESTS: "true",
      DATABASE_URL: databaseUrl(dbName),
      LOG_LEVEL: "warn",
    },
  });
  let output = "";
  app.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  app.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitForHealth(appUrl, app, 60_000);
  } catch (error) {
    stopApp(app);
    throw new Error(`${(error as Error).message}\n${output}`);
  }

  process.env.E2E_APP_URL = appUrl;
  process.env.E2E_ISSUER = idp.issuer;
  process.env.E2E_AUDIENCE = `${appUrl}/mcp`;

  return async () => {
    const exited = new Promise((r) => app.once("exit", r));
    stopApp(app);
    await exited;
    if (process.env.E2E_SHOW_APP_LOG === "1") console.log(output);
    await idp.close();
    await sql.unsafe(`drop database if exists ${dbName} with (force)`);
    await sql.end();
  };
}
