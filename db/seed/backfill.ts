import { and, eq, or, sql } from "drizzle-orm";
import { deriveAttributes, departmentFromFeed, WOMENSWEAR } from "@/server/catalog/attributes";
import type { Db } from "../client";
import { products } from "../schema";
import { generateProduct, SUBCATEGORY_SEASONS } from "./catalog";

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

/**
 * The generator once gave shorts and sandals winter and parkas summer when their fabric allowed it
 * (see SUBCATEGORY_SEASONS). This brings generated rows stored before that to what the generator now
 * makes: their seasons, and the description and search text that quote them. Imported rows are left as
 * their feed says. Only rows still out of season are read, so it is a no-op once done. Updates are
 * logged in catalog_changes like any other, so running instances' indexes follow.
 */
export async function correctGeneratedSeasons(db: Db, batchSize = 1000): Promise<number> {
  const outOfSeason = or(
    ...Object.entries(SUBCATEGORY_SEASONS).map(
      ([subcategory, seasons]) =>
        sql`(${products.subcategory} = ${subcategory} and not ${products.seasons} <@ array[${sql.join(
          seasons.map((season) => sql`${season}`),
          sql`, `,
        )}]::text[])`,
    ),
  );
  let done = 0;
  for (;;) {
    const rows = await db
      .select({ id: products.id, externalId: products.externalId })
      .from(products)
      .where(and(eq(products.source, "generated"), outOfSeason))
      .limit(batchSize);
    const fixable = rows.flatMap((row) => {
      const index = /^gen-(\d+)$/.exec(row.externalId)?.[1];
      return index === undefined ? [] : [{ id: row.id, fresh: generateProduct(Number(index)) }];
    });
    if (fixable.length === 0) return done;
    await db.transaction(async (tx) => {
      for (const { id, fresh } of fixable) {
        await tx.update(products).set({ seasons: fresh.seasons, description: fresh.description, searchText: fresh.searchText }).where(eq(products.id, id));
      }
    });
    done += fixable.length;
  }
}
