import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { findProduct } from "@/db/repos/catalog";
import { deriveMissingAttributes } from "@/db/seed/backfill";
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
