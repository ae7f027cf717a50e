import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { rowsOf } from "./rows";
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

/** Matches ranked per query at most: bounds the work of broad queries ("black" matches 5% of the catalog). */
const RANK_CANDIDATES = 200;

/**
 * Full-text search ranked by cover density, ties broken by id so pages are stable. `terms` are already
 * normalised and typo-corrected words (prefix matching is left out: it costs a GIN partial-match scan,
 * and typo correction already completes most partial words). A query matching more than
 * RANK_CANDIDATES items ranks the first RANK_CANDIDATES the index yields, which keeps its cost flat as
 * the catalog grows; such a query is too broad for its ranking to mean much anyway.
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
  const query = sql`to_tsquery('english', ${args.terms.join(" & ")})`;
  const candidates = db
    .select({ ...summaryColumns, rank: sql<number>`ts_rank_cd(${products.searchVector}, ${query})`.as("rank") })
    .from(products)
    .where(and(sql`${products.searchVector} @@ ${query}`, ...conditions))
    .limit(RANK_CANDIDATES)
    .as("candidates");
  return db
    .select({
      id: candidates.id,
      title: candidates.title,
      brand: candidates.brand,
      category: candidates.category,
      subcategory: candidates.subcategory,
      colors: candidates.colors,
      sizesInStock: candidates.sizesInStock,
      priceMinor: candidates.priceMinor,
      currency: candidates.currency,
      imageUrl: candidates.imageUrl,
    })
    .from(candidates)
    .orderBy(desc(candidates.rank), asc(candidates.id))
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
  // Fresh statistics for the planner after a bulk load (the GIN index has no pending list: fastupdate off).
  await db.execute(sql`analyze ${products}`);
  return row?.n ?? 0;
}
