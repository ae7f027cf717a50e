/**
 * npm run bench: latency and throughput of catalog.search and profile.get through /mcp.
 *
 * Starts a production build of the app (building it if needed) in oauth mode against the machine's
 * Postgres with BENCH_PRODUCTS generated products (default 100,000; the database is kept between runs),
 * and a loopback OpenID provider for real RS256 tokens. Then, for each client count in BENCH_CLIENTS
 * (default "1,4"), that many concurrent clients call catalog.search (shoppers' own words, the issue's
 * table among them, as a user with sizes, style tags and ratings) and then profile.get for BENCH_SECONDS
 * (default 15) each, after a warm-up, and the ratio of their p95s is printed. Asserts nothing.
 */
import { availableParallelism } from "node:os";
import { buildIfNeeded, startNextApp } from "../tests/support/next-app";
import { preparePostgresDatabase } from "../tests/support/postgres";
import { percentile } from "./report";

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? "1,4").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const DB_NAME = `stylist_bench_${PRODUCTS}`;

const QUERIES: Array<Record<string, unknown>> = [
  { q: "navy blazer for work", limit: 10 },
  { q: "black dress for a wedding", limit: 10 },
  { q: "warm winter coat", limit: 10 },
  { q: "comfortable running shoes", limit: 10 },
  { q: "cheap jeans", limit: 10 },
  { q: "something for a beach holiday", limit: 10 },
  { q: "leather boots under 150", limit: 20 },
  { q: "gift for my boyfriend", limit: 10 },
  { q: "waterproof jacket", limit: 10 },
  { q: "party", limit: 10 },
  { q: "tee", limit: 10 },
  { q: "jakcet", limit: 10 },
  { q: "sneakers", filters: { maxPrice: 120 }, limit: 10 },
  { q: "black", filters: { category: ["outerwear"] }, limit: 10 },
  { filters: { category: ["shoes"], minPrice: 50, maxPrice: 150 }, limit: 10 },
  { q: "cashmere", filters: { brand: ["Maison Valmont", "Ostara"] }, limit: 10 },
];

/** One tools/call over plain HTTP (no SDK client: its own overhead would be measured too). */
async function callTool(url: string, token: string, tool: string, args: Record<string, unknown>, id = 1) {
  const response = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-06-18",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name: tool, arguments: args } }),
  });
  const body = (await response.json()) as { result?: { isError?: boolean; structuredContent?: { items?: Array<{ id: string }> } } };
  if (!response.ok || body.result?.isError) throw new Error(`${tool} failed: ${JSON.stringify(body).slice(0, 300)}`);
  return body.result!;
}

async function run(url: string, token: string, tool: string, args: (i: number) => Record<string, unknown>, CLIENTS: number): Promise<number> {
  let id = 0;
  const call = async () => {
    const i = id++;
    const started = performance.now();
    await callTool(url, token, tool, args(i), i);
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
  return percentile(latencies, 95);
}

console.log(`preparing ${DB_NAME} (kept between runs; seeding 100,000 products takes ~35 s once)…`);
const databaseUrlForApp = await preparePostgresDatabase(DB_NAME, PRODUCTS);
buildIfNeeded(process.env.BENCH_BUILD === "1");
const app = await startNextApp({ databaseUrl: databaseUrlForApp });
try {
  const token = await app.idp.tokenFor("alice", { scopes: ["profile:read", "profile:write", "catalog:read", "feedback:write"] });
  await personalise(app.url, token);
  for (const clients of CLIENT_COUNTS) {
    console.log(`\nproducts=${PRODUCTS} clients=${clients} seconds=${SECONDS} cores=${availableParallelism()}`);
    const search = await run(app.url, token, "catalog.search", (i) => QUERIES[i % QUERIES.length]!, clients);
    const profile = await run(app.url, token, "profile.get", () => ({}), clients);
    console.log(`catalog.search p95 / profile.get p95 = ${(search / profile).toFixed(2)} (target ≤ 2)`);
  }
} finally {
  await app.stop();
}

/** The bench user has sizes, style tags and ratings, so searches do the personal ranking work. */
async function personalise(url: string, token: string) {
  const call = (name: string, args: Record<string, unknown>) => callTool(url, token, name, args);
  await call("profile.upsertSizes", { sizes: { top: "M", waist: "32", shoe: "EU 42" } });
  await call("profile.upsertBudgetAndGoals", { monthlyBudget: 400, goals: ["work"], styleTags: ["classic", "minimalist"] });
  const found = await call("catalog.search", { q: "wool sweater", limit: 12 });
  for (const [i, item] of (found.structuredContent?.items ?? []).entries()) {
    await call("feedback.rateItem", { itemId: item.id, rating: i % 3 === 2 ? -1 : 1 });
  }
}
