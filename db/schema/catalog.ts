import { sql } from "drizzle-orm";
import { DEPARTMENTS } from "@/server/catalog/attributes";
import {
  bigserial,
  check,
  index,
  integer,
  pgTable,
  point,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

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
    /** Who it is made for; see server/catalog/attributes.ts for this and the derived attributes below. */
    department: text("department", { enum: DEPARTMENTS }).notNull().default("unisex"),
    /** When it is worn (work, wedding-guest, party, …); empty only on rows not yet derived. */
    occasions: text("occasions").array().notNull().default(sql`'{}'::text[]`),
    /** warm, waterproof, breathable. */
    weather: text("weather").array().notNull().default(sql`'{}'::text[]`),
    /** Garments only (slim, relaxed, oversized, …). */
    fit: text("fit"),
    /** Dresses and skirts only (mini, knee, midi, maxi). */
    length: text("length"),
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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("products_source_external_uq").on(t.source, t.externalId),
    index("products_position_gist").using("gist", t.position),
    index("products_category_price_idx").on(t.category, t.priceMinor),
    index("products_brand_idx").on(sql`lower(${t.brand})`),
    index("products_price_idx").on(t.priceMinor),
    check("products_price_nonnegative", sql`${t.priceMinor} >= 0`),
    check("products_formality_range", sql`${t.formality} between 1 and 5`),
  ],
);

/**
 * Which products changed, in order: a trigger on `products` appends one row per inserted, updated or
 * deleted product. Each app process's in-memory search index (server/search/index.ts) reads the rows
 * after the last sequence it applied, so a price or stock change is searchable on the next request.
 */
export const catalogChanges = pgTable("catalog_changes", {
  seq: bigserial("seq", { mode: "number" }).primaryKey(),
  productId: text("product_id").notNull(),
  changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
});
