/**
 * npm run bench: latency and throughput of catalog.search and profile.get through /mcp.
 *
 * Starts a production build of the app (building it if needed) in oauth mode against the machine's
 * Postgres with BENCH_PRODUCTS generated products (default 100,000; the database is kept between runs),
 * and a loopback OpenID provider for real RS256 tokens. Then BENCH_CLIENTS concurrent clients
 * (default 4) call each tool for BENCH_SECONDS (default 15) after a warm-up. Prints figures; asserts nothing.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import postgres from "postgres";
import { openPostgres } from "../db/client";
import { countProducts } from "../db/repos/catalog";
import { seedCatalog } from "../db/seed/catalog";
import { adminUrl, assertLocal, databaseUrl } from "../tests/support/config";
import { startIdentityProvider } from "../tests/support/oidc";

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const DB_NAME = `stylist_bench_${PRODUCTS}`;

const QUERIES: Array<Record<string, unknown>> = [
  { q: "navy wool coat", limit: 10 },
  { q: "tee", limit: 10 },
  { q: "jakcet", limit: 10 },
  { q: "leather boots", limit: 20 },
  { q: "floral midi dress", limit: 10 },
  { q: "sneakers", filters: { maxPrice: 120 }, limit: 10 },
  { q: "black", filters: { category: ["outerwear"] }, limit: 10 },
  { filters: { category: ["shoes"], minPrice: 50, maxPrice: 150 }, limit: 10 },
  { q: "minimalist linen shirt", limit: 10 },
  { q: "cashmere", filters: { brand: ["Maison Valmont", "Ostara"] }, limit: 10 },
];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function prepareDatabase(): Promise<string> {
  const admin = adminUrl();
  assertLocal(admin);
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  const exists = await sql`select 1 from pg_database where datname = ${DB_NAME}`;
  if (exists.length === 0) await sql.unsafe(`create database ${DB_NAME}`);
  await sql.end();
  const url = databaseUrl(DB_NAME);
  const database = openPostgres(url, 4);
  await database.migrate();
  const have = await countProducts(database.db);
  if (have < PRODUCTS) {
    console.log(`seeding ${PRODUCTS - have} products into ${DB_NAME}…`);
    const started = Date.now();
    await seedCatalog(database.db, { count: PRODUCTS - have, start: have, batchSize: 2000 });
    console.log(`  seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  await database.db.execute(sqlAnalyze);
  await database.close();
  return url;
}
const sqlAnalyze = (await import("drizzle-orm")).sql`analyze`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function run(url: string, token: string, tool: string, args: (i: number) => Record<string, unknown>) {
  let id = 0;
  const call = async () => {
    const i = id++;
    const started = performance.now();
    const response = await fetch(`${url}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: i, method: "tools/call", params: { name: tool, arguments: args(i) } }),
    });
    const body = (await response.json()) as { result?: { isError?: boolean } };
    if (!response.ok || body.result?.isError) throw new Error(`${tool} failed: ${JSON.stringify(body).slice(0, 300)}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 100; i++) await call(); // warm-up: JIT, connection pool, JWKS cache
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) latencies.push(await call());
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${tool.padEnd(16)} requests=${latencies.length} throughput=${(latencies.length / elapsed).toFixed(0)}/s ` +
      `p50=${percentile(latencies, 50).toFixed(1)}ms p95=${percentile(latencies, 95).toFixed(1)}ms ` +
      `p99=${percentile(latencies, 99).toFixed(1)}ms max=${latencies[latencies.length - 1]!.toFixed(1)}ms`,
  );
}

const databaseUrlForApp = await prepareDatabase();
if (!existsSync(".next/BUILD_ID") || process.env.BENCH_BUILD === "1") {
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) throw new Error("next build failed");
}
const port = await freePort();
const appUrl = `http://localhost:${port}`;
const idp = await startIdentityProvider({ audience: `${appUrl}/mcp`, appBaseUrl: appUrl });
const app = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(port)], {
  // Its own process group, so stopping it also stops the next-server process npx starts.
  detached: true,
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    AUTH_MODE: "oauth",
    APP_BASE_URL: appUrl,
    AUTH0_DOMAIN: idp.domain,
    AUTH0_CLIENT_ID: idp.siteClient.clientId,
    AUTH0_CLIENT_SECRET: idp.siteClient.clientSecret,
    AUTH0_SECRET: "bench-cookie-secret-0123456789abcdef0123456789",
    AUTH0_ALLOW_INSECURE_REQUESTS: "true",
    DATABASE_URL: databaseUrlForApp,
    DB_POOL_MAX: "10",
    LOG_LEVEL: "warn",
  },
});
try {
  for (let i = 0; ; i++) {
    if (i > 240) throw new Error("the app did not start");
    const ok = await fetch(`${appUrl}/api/health`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const token = await idp.tokenFor("alice", { scopes: ["profile:read", "catalog:read"] });
  console.log(`products=${PRODUCTS} clients=${CLIENTS} seconds=${SECONDS} cores=${(await import("node:os")).availableParallelism()}`);
  await run(appUrl, token, "catalog.search", (i) => QUERIES[i % QUERIES.length]!);
  await run(appUrl, token, "profile.get", () => ({}));
} finally {
  if (app.pid !== undefined) process.kill(-app.pid, "SIGTERM");
  await idp.close();
}
