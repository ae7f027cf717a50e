import { generateProduct } from "@/db/seed/catalog";
import { CatalogIndex } from "@/server/search/index";
import { searchIndex } from "@/server/search/search";
import { understand } from "@/server/search/service";
const index = new CatalogIndex();
const all: any[] = [];
for (let i = 0; i < 5000; i++) { const p = generateProduct(i) as any; all.push(p); index.add(p); }
index.seal();
const hoodies = all.filter((p) => p.subcategory === "hoodies");
console.log("hoodies", hoodies.length, "xxs", hoodies.filter((p) => p.sizesInStock.includes("XXS")).length);
const out = searchIndex(index, understand(index, "hoodie"), {}, { styleTags: ["minimalist"], sizes: { top: "XXS" }, liked: [], disliked: [] }, { offset: 0, limit: 10 });
console.log(out.total, out.hits.map((h) => h.why));
