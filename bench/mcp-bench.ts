/**
 * npm run bench: latency and throughput of catalog.search and profile.get through /mcp.
 *
 * Starts a production build of the app (building it if needed) in oauth mode against the machine's
 * Postgres with BENCH_PRODUCTS generated products (default 100,000; the database is kept between runs),
 * and a loopback OpenID provider for real RS256 tokens. Then BENCH_CLIENTS concurrent clients
 * (default 4) call each tool for BENCH_SECONDS (default 15) after a warm-up. Prints figures; asserts nothing.
 */
import { availableParallelism } from "node:os";
import { buildIfNeeded, startNextApp } from "../tests/support/next-app";
import { preparePostgresDatabase } from "../tests/support/postgres";
import { percentile } from "./report";

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

console.log(`preparing ${DB_NAME} (kept between runs; seeding 100,000 products takes ~35 s once)…`);
const databaseUrlForApp = await preparePostgresDatabase(DB_NAME, PRODUCTS);
buildIfNeeded(process.env.BENCH_BUILD === "1");
const app = await startNextApp({ databaseUrl: databaseUrlForApp });
try {
  const token = await app.idp.tokenFor("alice", { scopes: ["profile:read", "catalog:read"] });
  console.log(`products=${PRODUCTS} clients=${CLIENTS} seconds=${SECONDS} cores=${availableParallelism()}`);
  await run(app.url, token, "catalog.search", (i) => QUERIES[i % QUERIES.length]!);
  await run(app.url, token, "profile.get", () => ({}));
} finally {
  await app.stop();
}
