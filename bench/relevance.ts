/**
 * npm run bench:relevance: how good catalog.search's answers are, on the machine's Postgres with
 * BENCH_PRODUCTS generated products (default 100,000; the database is kept between runs).
 *
 * Runs each query of bench/relevance-queries.ts (written the way people ask for clothes, each with the
 * rule that makes an item relevant) through the real procedure, as a signed-in user with no profile,
 * and judges the first 10 results by the rule. Prints nDCG@10 (binary gains; the ideal ranking puts
 * min(10, relevant items in the catalog) relevant items first), precision@10, the zero-result rate, the
 * share of queries whose top result is relevant, and the queries that fall short. Asserts nothing.
 * Latency through /mcp is `npm run bench` (same database).
 */
import { inArray } from "drizzle-orm";
import { openPostgres } from "../db/client";
import type { ProductRow } from "../db/repos/catalog";
import { products } from "../db/schema";
import { searchCatalog } from "../server/procedures/catalog";
import { runProcedure } from "../server/run-procedure";
import { userContext } from "../tests/support/fixture";
import { preparePostgresDatabase } from "../tests/support/postgres";
import { QUERIES } from "./relevance-queries";

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const K = 10;

async function main() {
  const url = await preparePostgresDatabase(`stylist_bench_${PRODUCTS}`, PRODUCTS);
  const database = openPostgres(url, 4);
  try {
    console.log(`loading ${PRODUCTS} products to count each query's relevant items…`);
    const catalog = await database.db.select().from(products);
    const ctx = userContext(database.db, "relevance-bench");
    const rows: Array<{ q: string; ndcg: number; p10: number; top: boolean; zero: boolean; relevant: number; why: string }> = [];
    for (const judged of QUERIES) {
      const available = catalog.filter(judged.relevant).length;
      const result = await runProcedure(searchCatalog, ctx, { q: judged.q, limit: K });
      const found = await database.db.select().from(products).where(inArray(products.id, result.items.map((i) => i.id)));
      const byId = new Map<string, ProductRow>(found.map((p) => [p.id, p]));
      const gains: number[] = result.items.map((i) => (judged.relevant(byId.get(i.id)!) ? 1 : 0));
      const dcg = gains.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
      let idcg = 0;
      for (let i = 0; i < Math.min(K, available); i++) idcg += 1 / Math.log2(i + 2);
      rows.push({
        q: judged.q,
        ndcg: idcg === 0 ? (gains.length === 0 ? 1 : 0) : dcg / idcg,
        p10: gains.reduce((a, b) => a + b, 0) / K,
        top: gains[0] === 1,
        zero: result.items.length === 0 && available > 0,
        relevant: available,
        why: result.query.understood,
      });
    }
    const servable = rows.filter((r) => r.relevant > 0);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    console.log(`\nproducts=${PRODUCTS} queries=${rows.length} (servable: ${servable.length})`);
    console.log(`nDCG@10            ${mean(servable.map((r) => r.ndcg)).toFixed(3)}   (target ≥ 0.85)`);
    console.log(`precision@10       ${mean(servable.map((r) => r.p10)).toFixed(3)}`);
    console.log(`zero-result rate   ${(mean(servable.map((r) => (r.zero ? 1 : 0))) * 100).toFixed(1)}%   (target 0)`);
    console.log(`top result relevant ${(mean(servable.map((r) => (r.top ? 1 : 0))) * 100).toFixed(1)}%   (target ≥ 95%)`);
    const weak = rows.filter((r) => r.ndcg < 0.85 || !r.top).sort((a, b) => a.ndcg - b.ndcg);
    if (weak.length) {
      console.log(`\nqueries below nDCG 0.85 or with an irrelevant top result (${weak.length}):`);
      for (const r of weak) console.log(`  ${r.ndcg.toFixed(2)} top=${r.top ? "yes" : "no "} relevant-in-catalog=${String(r.relevant).padStart(6)}  ${r.q}  →  ${r.why}`);
    }
  } finally {
    await database.close();
  }
}

await main();
