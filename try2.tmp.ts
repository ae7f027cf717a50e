import { generateProduct } from "@/db/seed/catalog";
import { CatalogIndex } from "@/server/search/index";
import { searchIndex } from "@/server/search/search";
import { understand } from "@/server/search/service";
const N = Number(process.env.N ?? 300000);
const index = new CatalogIndex();
let t0 = performance.now();
for (let i = 0; i < N; i++) index.add(generateProduct(i) as any);
index.seal();
global.gc?.();
console.log(`built ${N} in ${(performance.now()-t0).toFixed(0)} ms heap ${(process.memoryUsage().heapUsed/1e6).toFixed(0)} MB`);
const qs = ["navy blazer for work","black dress for a wedding","warm winter coat","comfortable running shoes","cheap jeans","something for a beach holiday","leather boots under 150","gift for my boyfriend","waterproof jacket","party","black", ""];
for (let round = 0; round < 3; round++) for (const q of qs) {
  const t = performance.now();
  const out = searchIndex(index, understand(index, q), {}, { styleTags: ["classic"], sizes: { top: "M", shoe: "42" }, liked: ["prd_000001","prd_000002"], disliked: ["prd_000003"] }, { offset: 0, limit: 10 });
  if (round === 2) console.log(`${q.padEnd(36)} total=${out.total} ${(performance.now()-t).toFixed(1)} ms`);
}
