import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { products, searchTerms } from "../schema";

export type ProductRow = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;

export interface SearchFilters {
  categories?: string[];
  brands?: string[];
  minPriceMinor?: number;
  maxPriceMinor?: number;
}

/** Columns a search result needs; the description and search text stay in the database. */
const summaryColumns = {
  id: products.id,
  title: products.title,
  brand: products.brand,
  category: products.category,
  subcategory: products.subcategory,
  colors: products.colors,
  sizesInStock: products.sizesInStock,
  priceMinor: products.priceMinor,
  currency: products.currency,
  imageUrl: products.imageUrl,
};
export type ProductSummaryRow = { [K in keyof typeof summaryColumns]: ProductRow[K] };

function filterConditions(filters: SearchFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.categories?.length) {
    const wanted = filters.categories.map((c) => c.toLowerCase());
    conditions.push(sql`(${inArray(products.category, wanted)} or ${inArray(products.subcategory, wanted)})`);
  }
  if (filters.brands?.length) {
    const wanted = filters.brands.map((b) => b.toLowerCase());
    conditions.push(inArray(sql`lower(${products.brand})`, wanted));
  }
  if (filters.minPriceMinor !== undefined) conditions.push(gte(products.priceMinor, filters.minPriceMinor));
  if (filters.maxPriceMinor !== undefined) conditions.push(lte(products.priceMinor, filters.maxPriceMinor));
  return conditions;
}

/**
 * Full-text search ranked by cover density, ties broken by id so pages are stable. `terms` are
 * already normalised and typo-corrected words; the last one also matches as a prefix.
 */
export async function searchProducts(
  db: Db,
  args: { terms: string[]; filters: SearchFilters; limit: number },
): Promise<ProductSummaryRow[]> {
  const conditions = filterConditions(args.filters);
  if (args.terms.length === 0) {
    return db
      .select(summaryColumns)
      .from(products)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(asc(products.id))
      .limit(args.limit);
  }
  const tsquery = args.terms.map((t, i) => (i === args.terms.length - 1 ? `${t}:*` : t)).join(" & ");
  const query = sql`to_tsquery('english', ${tsquery})`;
  return db
    .select(summaryColumns)
    .from(products)
    .where(and(sql`${products.searchVector} @@ ${query}`, ...conditions))
    .orderBy(desc(sql`ts_rank_cd(${products.searchVector}, ${query})`), asc(products.id))
    .limit(args.limit);
}

/**
 * For each word, the closest word of the index's vocabulary (itself when it is known): within two
 * edits, preferring fewer edits, then trigram similarity, then the more common word. Words with no
 * close match are returned unchanged.
 */
export async function correctTerms(db: Db, words: string[]): Promise<string[]> {
  if (words.length === 0) return [];
  const rows = await db.execute<{ word: string; term: string | null }>(sql`
    select w.word, (
      select t.term from ${searchTerms} t
      where abs(length(t.term) - length(w.word)) <= 2
        and levenshtein_less_equal(t.term, w.word, 2) <= 2
      order by levenshtein_less_equal(t.term, w.word, 2), similarity(t.term, w.word) desc, t.document_count desc, t.term
      limit 1
    ) as term
    from unnest(array[${sql.join(
      words.map((w) => sql`${w}`),
      sql`, `,
    )}]::text[]) with ordinality as w(word, n)
    order by w.n
  `);
  // Short words have too many neighbours two edits away ("tee" is not "tea"): only long words are corrected.
  return rowsOf<{ word: string; term: string | null }>(rows).map((r) => (r.word.length >= 4 && r.term ? r.term : r.word));
}

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

/** Rebuilds the typo-correction vocabulary from the search index (after a seed or an import). */
export async function rebuildSearchTerms(db: Db): Promise<number> {
  await db.delete(searchTerms).where(sql`true`);
  await db.execute(sql`
    insert into ${searchTerms} (term, document_count)
    select word, count(*)::int
    from ${products}, regexp_split_to_table(${products.searchText}, ' ') as word
    where length(word) >= 2
    group by word
  `);
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(searchTerms);
  return row?.n ?? 0;
}

/** postgres.js returns an array of rows, PGlite an object with `rows`. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
