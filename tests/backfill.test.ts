import { eq, sql } from "drizzle-orm";
import { products } from "@/db/schema";
import { describe, expect, it } from "vitest";
import { findProduct } from "@/db/repos/catalog";
import { correctGeneratedSeasons, deriveMissingAttributes } from "@/db/seed/backfill";
import { generateProduct } from "@/db/seed/catalog";
import { useTestDatabase } from "./support/fixture";

const fixture = useTestDatabase();

describe("rows from before migration 0005", () => {
  it("get the department and derived attributes the generator gives, once", async () => {
    const db = fixture.database.db;
    // As the migration leaves them: defaults only.
    await db.execute(sql`update products set department = 'unisex', occasions = '{}', weather = '{}', fit = null, length = null where id in ('prd_000001', 'prd_000002', 'prd_000003')`);
    expect(await deriveMissingAttributes(db)).toBe(3);
    for (const index of [1, 2, 3]) {
      const expected = generateProduct(index);
      const row = await findProduct(db, expected.id);
      expect(row).toMatchObject({ department: expected.department, occasions: expected.occasions, weather: expected.weather, fit: expected.fit, length: expected.length });
    }
    expect(await deriveMissingAttributes(db)).toBe(0);
  });
});

describe("generated rows stored before pieces had seasons of their own", () => {
  it("get the generator's seasons, description and search text back, once; imported rows keep their feed's", async () => {
    const db = fixture.database.db;
    const sample = Array.from({ length: 400 }, (_, i) => generateProduct(i));
    const shorts = sample.filter((p) => p.subcategory === "shorts").slice(0, 2);
    const parka = sample.find((p) => p.subcategory === "parkas")!;
    const imported = sample.filter((p) => p.subcategory === "sandals")[0]!;
    const stale = [...shorts, parka, imported];
    expect(stale).toHaveLength(4);
    // As the old generator could store them: shorts and sandals for every season, a parka for summer.
    for (const p of stale) {
      await db.execute(sql`update products set seasons = ${p.subcategory === "parkas" ? "{summer,autumn,winter}" : "{spring,summer,autumn,winter}"}::text[], search_text = 'stale', description = 'stale' where id = ${p.id}`);
    }
    await db.execute(sql`update products set source = 'feed' where id = ${imported.id}`);

    expect(await correctGeneratedSeasons(db)).toBe(3);
    for (const p of [...shorts, parka]) {
      const row = await findProduct(db, p.id);
      expect(row).toMatchObject({ seasons: p.seasons, description: p.description });
      expect(row!.seasons).not.toContain(p.subcategory === "parkas" ? "summer" : "winter");
    }
    const [stored] = await db.select({ searchText: products.searchText }).from(products).where(eq(products.id, shorts[0]!.id));
    expect(stored!.searchText).toBe(shorts[0]!.searchText);
    expect((await findProduct(db, imported.id))!.seasons).toContain("winter");
    expect(await correctGeneratedSeasons(db)).toBe(0);
  });
});
