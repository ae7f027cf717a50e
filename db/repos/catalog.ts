import { asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { rowsOf } from "./rows";
import { catalogChanges, feedback, products, profiles, type Sizes } from "../schema";

export type ProductRow = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;

/** What a result card shows. Search and the map read cards from the search index (`summaryOf`); the map's neighbours read them here. */
const summaryColumns = {
  id: products.id,
  title: products.title,
  brand: products.brand,
  category: products.category,
  subcategory: products.subcategory,
  department: products.department,
  colors: products.colors,
  sizesInStock: products.sizesInStock,
  priceMinor: products.priceMinor,
  currency: products.currency,
  imageUrl: products.imageUrl,
};
export type ProductSummaryRow = { [K in keyof typeof summaryColumns]: ProductRow[K] };

export async function findProduct(db: Db, id: string): Promise<ProductRow | undefined> {
  const rows = await db.select().from(products).where(eq(products.id, id)).limit(1);
  return rows[0];
}

export async function countProducts(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(products);
  return row?.n ?? 0;
}

export async function upsertProducts(db: Db, rows: NewProduct[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(products)
    .values(rows)
    .onConflictDoUpdate({
      target: [products.source, products.externalId],
      set: {
        title: sql`excluded.title`,
        description: sql`excluded.description`,
        brand: sql`excluded.brand`,
        brandTier: sql`excluded.brand_tier`,
        department: sql`excluded.department`,
        occasions: sql`excluded.occasions`,
        weather: sql`excluded.weather`,
        fit: sql`excluded.fit`,
        length: sql`excluded.length`,
        category: sql`excluded.category`,
        subcategory: sql`excluded.subcategory`,
        colors: sql`excluded.colors`,
        materials: sql`excluded.materials`,
        pattern: sql`excluded.pattern`,
        seasons: sql`excluded.seasons`,
        formality: sql`excluded.formality`,
        sizesInStock: sql`excluded.sizes_in_stock`,
        styleTags: sql`excluded.style_tags`,
        priceMinor: sql`excluded.price_minor`,
        currency: sql`excluded.currency`,
        imageUrl: sql`excluded.image_url`,
        productUrl: sql`excluded.product_url`,
        position: sql`excluded.position`,
        searchText: sql`excluded.search_text`,
        updatedAt: sql`now()`,
      },
    });
}

// ---- the search index's reads (server/search/index.ts) ---------------------------------------------

const indexedColumns = {
  id: products.id,
  title: products.title,
  currency: products.currency,
  imageUrl: products.imageUrl,
  searchText: products.searchText,
  brand: products.brand,
  category: products.category,
  subcategory: products.subcategory,
  department: products.department,
  brandTier: products.brandTier,
  priceMinor: products.priceMinor,
  position: products.position,
  colors: products.colors,
  materials: products.materials,
  pattern: products.pattern,
  styleTags: products.styleTags,
  sizesInStock: products.sizesInStock,
  occasions: products.occasions,
  weather: products.weather,
  fit: products.fit,
  length: products.length,
  seasons: products.seasons,
  formality: products.formality,
};
export type IndexedProductRow = { [K in keyof typeof indexedColumns]: ProductRow[K] };

/** The next `limit` products after `afterId` in id order (keyset pages for loading the index). */
export async function indexedProductsAfter(db: Db, afterId: string, limit: number): Promise<IndexedProductRow[]> {
  return db.select(indexedColumns).from(products).where(gt(products.id, afterId)).orderBy(asc(products.id)).limit(limit);
}

export async function indexedProductsById(db: Db, ids: string[]): Promise<IndexedProductRow[]> {
  return ids.length === 0 ? [] : db.select(indexedColumns).from(products).where(inArray(products.id, ids));
}

/** The last sequence of the change log (0 when empty). */
export async function latestCatalogChange(db: Db): Promise<number> {
  const rows = await db.execute<{ seq: string | number | null }>(sql`select max(seq) as seq from ${catalogChanges}`);
  return Number(rowsOf<{ seq: string | number | null }>(rows)[0]?.seq ?? 0);
}

export interface SearchSignals {
  /** Whether the catalog changed after the sequence asked about (null: not asked). */
  changedAfter: boolean | null;
  profile: { styleTags: string[]; sizes: Sizes } | null;
  /** The person's latest ratings, newest first. */
  ratings: Array<{ productId: string; rating: number }>;
}

/**
 * What a search reads besides the index, in one round trip: whether the catalog changed after the
 * index's sequence, and the person's style tags, sizes and latest ratings. The change check is max(seq),
 * an index lookup: "exists (… where seq > n)" can be planned as a scan of the whole change log.
 */
export async function searchSignals(db: Db, userId: string | null, afterSeq: number | null, ratingLimit = 200): Promise<SearchSignals> {
  type Row = { changed: boolean | null; profile: SearchSignals["profile"] | string | null; ratings: Array<[string, number]> | string };
  const rows = await db.execute<Row>(sql`
    select
      ${afterSeq === null ? sql`null::boolean` : sql`coalesce((select max(${catalogChanges.seq}) from ${catalogChanges}), 0) > ${afterSeq}`} as changed,
      (select json_build_object('styleTags', ${profiles.styleTags}, 'sizes', ${profiles.sizes}) from ${profiles} where ${profiles.userId} = ${userId}) as profile,
      (select coalesce(json_agg(json_build_array(r.product_id, r.rating)), '[]'::json) from (
        select ${feedback.productId} as product_id, ${feedback.rating} as rating from ${feedback}
        where ${feedback.userId} = ${userId} order by ${feedback.updatedAt} desc limit ${ratingLimit}
      ) r) as ratings`);
  const row = rowsOf<Row>(rows)[0]!;
  // postgres.js parses json; PGlite may hand it over as text.
  const parse = <T>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);
  return {
    changedAfter: row.changed,
    profile: row.profile === null ? null : parse(row.profile),
    ratings: parse(row.ratings).map(([productId, rating]) => ({ productId, rating: Number(rating) })),
  };
}

/** Changed product ids after `seq`, oldest first. */
export async function catalogChangesAfter(db: Db, seq: number, limit: number): Promise<Array<{ seq: number; productId: string }>> {
  return db
    .select({ seq: catalogChanges.seq, productId: catalogChanges.productId })
    .from(catalogChanges)
    .where(gt(catalogChanges.seq, seq))
    .orderBy(asc(catalogChanges.seq))
    .limit(limit);
}

/** Drops the change log older than a day: every process rebuilds its index at least every 12 hours. */
async function pruneCatalogChanges(db: Db): Promise<void> {
  await db.execute(sql`delete from ${catalogChanges} where changed_at < now() - interval '1 day'`);
}

/**
 * After a bulk load (seed or import): fresh statistics for the planner, and the search index's change
 * log trimmed (server/search/index.ts).
 */
export async function catalogLoaded(db: Db): Promise<void> {
  await db.execute(sql`analyze ${products}`);
  await pruneCatalogChanges(db);
}

// ---- the style map's reads (server/stylemap/) -----------------------------------------------------

const neighbourColumns = {
  ...summaryColumns,
  brandTier: products.brandTier,
  materials: products.materials,
  fit: products.fit,
  formality: products.formality,
  styleTags: products.styleTags,
  position: products.position,
};
export type NeighbourRow = { [K in keyof typeof neighbourColumns]: ProductRow[K] };

/** The `limit` products nearest a point of the style map (GiST k-nearest-neighbour on `position`). */
export async function productsNear(db: Db, x: number, y: number, limit: number): Promise<NeighbourRow[]> {
  return db
    .select(neighbourColumns)
    .from(products)
    .orderBy(sql`${products.position} <-> point(${x}::float8, ${y}::float8)`, asc(products.id))
    .limit(limit);
}

export async function findNeighbourRows(db: Db, ids: string[]): Promise<NeighbourRow[]> {
  return ids.length === 0 ? [] : db.select(neighbourColumns).from(products).where(inArray(products.id, ids));
}
