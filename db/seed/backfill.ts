import { eq, sql } from "drizzle-orm";
import { deriveAttributes, departmentFromFeed, WOMENSWEAR } from "@/server/catalog/attributes";
import type { Db } from "../client";
import { products } from "../schema";
import { generateProduct } from "./catalog";

/**
 * Migration 0005 added department, occasions, weather, fit and length with empty defaults. This fills
 * them in, in TypeScript with the same rules the generator and importer use (rather than a second copy
 * of the rules in SQL), for rows that have none yet. Generated rows get exactly what the generator now
 * makes; imported rows get what their stored attributes and title say. Idempotent; a no-op once done.
 */
export async function deriveMissingAttributes(db: Db, batchSize = 1000): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(products)
      .where(sql`${products.occasions} = '{}'::text[]`)
      .limit(batchSize);
    if (rows.length === 0) return done;
    await db.transaction(async (tx) => {
      for (const row of rows) {
        const generatedIndex = row.source === "generated" ? /^gen-(\d+)$/.exec(row.externalId)?.[1] : undefined;
        const fresh = generatedIndex === undefined ? undefined : generateProduct(Number(generatedIndex));
        const derived = deriveAttributes(row);
        const fromTitle = departmentFromFeed(undefined, undefined, row.title);
        await tx
          .update(products)
          .set({
            department: fresh?.department ?? (fromTitle === "unisex" && WOMENSWEAR.has(row.subcategory) ? "women" : fromTitle),
            occasions: derived.occasions,
            weather: derived.weather,
            fit: derived.fit,
            length: derived.length,
          })
          .where(eq(products.id, row.id));
      }
    });
    done += rows.length;
  }
}
