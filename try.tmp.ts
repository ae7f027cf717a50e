import { generateProduct } from "@/db/seed/catalog";
import { CatalogIndex } from "@/server/search/index";
import { searchIndex } from "@/server/search/search";
import { understand, describeUnderstanding } from "@/server/search/service";
const N = Number(process.env.N ?? 20000);
const index = new CatalogIndex();
const all = [];
for (let i = 0; i < N; i++) { const p = generateProduct(i) as any; all.push(p); index.add(p); }
index.seal();
const byId = new Map(all.map((p) => [p.id, p]));
const queries = process.argv.slice(2).length ? process.argv.slice(2) : ["navy blazer for work","black dress for a wedding","warm winter coat","comfortable running shoes","smart casual outfit for the office","cheap jeans","something for a beach holiday","leather boots under 150","floral midi skirt","gift for my boyfriend","waterproof jacket","party"];
for (const q of queries) {
  const parsed = understand(index, q);
  const t = performance.now();
  const out = searchIndex(index, parsed, {}, null, { offset: 0, limit: 5 });
  const ms = performance.now() - t;
  console.log(`\n${q}  => ${describeUnderstanding(parsed)} | total ${out.total} (${ms.toFixed(1)} ms) ignored=${parsed.ignored}`);
  for (const h of out.hits) { const p = byId.get(h.id); console.log(`   ${p.title} | ${p.department} ${p.subcategory} $${p.priceMinor/100} occ=${p.occasions} wx=${p.weather} | ${h.why}`); }
}
