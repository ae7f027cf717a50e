import { generateProduct } from "@/db/seed/catalog";
import { CatalogIndex } from "@/server/search/index";
import { searchIndex } from "@/server/search/search";
import { understand } from "@/server/search/service";
const index = new CatalogIndex();
for (let i = 0; i < 200000; i++) index.add(generateProduct(i) as any);
index.seal();
const person = { styleTags: ["classic"], sizes: { top: "M", shoe: "42" }, liked: ["prd_000001","prd_000002"], disliked: ["prd_000003"] };
for (const q of ["gift for my boyfriend", "black"]) {
  const parsed = understand(index, q);
  for (let i = 0; i < 30; i++) searchIndex(index, parsed, {}, person, { offset: 0, limit: 10 });
  const t = performance.now();
  for (let i = 0; i < 50; i++) searchIndex(index, parsed, {}, person, { offset: 0, limit: 10 });
  console.log(q, ((performance.now() - t) / 50).toFixed(2), "ms");
  const t2 = performance.now();
  for (let i = 0; i < 50; i++) searchIndex(index, parsed, {}, null, { offset: 0, limit: 10 });
  console.log(q, "anonymous", ((performance.now() - t2) / 50).toFixed(2), "ms");
}
