import { sql } from "drizzle-orm";
import {
  check,
  customType,
  index,
  integer,
  pgTable,
  point,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const products = pgTable(
  "products",
  {
    /** `prd_` + a stable slug of the source id, so generated and imported ids never collide. */
    id: text("id").primaryKey(),
    source: text("source", { enum: ["generated", "feed"] }).notNull(),
    externalId: text("external_id").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    brand: text("brand").notNull(),
    brandTier: text("brand_tier", { enum: ["value", "mid", "premium", "luxury"] }).notNull(),
    category: text("category").notNull(),
    subcategory: text("subcategory").notNull(),
    colors: text("colors").array().notNull(),
    materials: text("materials").array().notNull(),
    pattern: text("pattern").notNull(),
    seasons: text("seasons").array().notNull(),
    /** 1 (lounge) … 5 (black tie). */
    formality: smallint("formality").notNull(),
    sizesInStock: text("sizes_in_stock").array().notNull(),
    styleTags: text("style_tags").array().notNull(),
    priceMinor: integer("price_minor").notNull(),
    currency: text("currency").notNull().default("USD"),
    /** Absolute URL for imported items; null for generated items, whose SVG our app renders. */
    imageUrl: text("image_url"),
    productUrl: text("product_url"),
    /** Position in the 2D style space (see db/seed/style-space.ts for the method). */
    position: point("position", { mode: "xy" }).notNull(),
    /** Normalised words the search index is built from (see server/catalog/search-text.ts). */
    searchText: text("search_text").notNull(),
    searchVector: tsvector("search_vector")
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('english', search_text)`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("products_source_external_uq").on(t.source, t.externalId),
    index("products_position_gist").using("gist", t.position),
    // fastupdate off: the catalog is read far more than written, and a GIN pending list slows every search.
    index("products_search_gin").using("gin", t.searchVector).with({ fastupdate: false }),
    index("products_category_price_idx").on(t.category, t.priceMinor),
    index("products_brand_idx").on(sql`lower(${t.brand})`),
    index("products_price_idx").on(t.priceMinor),
    check("products_price_nonnegative", sql`${t.priceMinor} >= 0`),
    check("products_formality_range", sql`${t.formality} between 1 and 5`),
  ],
);

/**
 * The vocabulary of the search index, one row per distinct word, used to correct typos in queries
 * ("jakcet" -> "jacket") with trigram similarity. Small (thousands of rows) whatever the catalog size.
 */
export const searchTerms = pgTable(
  "search_terms",
  {
    term: text("term").primaryKey(),
    documentCount: integer("document_count").notNull(),
  },
  (t) => [index("search_terms_trgm").using("gin", sql`${t.term} gin_trgm_ops`)],
);
