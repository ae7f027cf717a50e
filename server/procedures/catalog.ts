import { z } from "zod";
import * as catalog from "@/db/repos/catalog";
import { findRating } from "@/db/repos/feedback";
import { productImagePath, productPagePath } from "../catalog/links";
import { queryTokens } from "../catalog/search-text";
import type { Context } from "../context";
import { notFound } from "../errors";
import { majorAmount, money, moneySchema, toMinor } from "../money";
import { defineProcedure, READ_ONLY } from "./define";

// ---- schemas -------------------------------------------------------------------------------------

export const itemIdSchema = z.string().trim().min(1, "is required").max(100, "is not a valid item id");
const filterWord = z.string().trim().min(1).max(60);

export const catalogFiltersSchema = z
  .strictObject({
    category: z
      .array(filterWord)
      .max(20)
      .optional()
      .describe('Categories or subcategories, e.g. ["outerwear"] or ["jeans", "skirts"]'),
    brand: z.array(filterWord).max(20).optional().describe("Brand names, case-insensitive"),
    minPrice: majorAmount.optional().describe("Lowest price in USD, major units"),
    maxPrice: majorAmount.optional().describe("Highest price in USD, major units"),
  })
  .refine((f) => f.minPrice === undefined || f.maxPrice === undefined || f.minPrice <= f.maxPrice, {
    message: "minPrice must not be greater than maxPrice",
    path: ["minPrice"],
  });

export const searchInput = z.strictObject({
  q: z.string().max(200, "must be at most 200 characters").optional().describe("What the shopper is looking for"),
  filters: catalogFiltersSchema.optional(),
  limit: z.number().int().min(1).max(50, "must be at most 50").default(10),
});

export const productSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  brand: z.string(),
  category: z.string(),
  subcategory: z.string(),
  price: moneySchema,
  imageUrl: z.string(),
  pageUrl: z.string().describe("The item's page on the Stylist site"),
  sizesAvailable: z.array(z.string()),
  colors: z.array(z.string()),
});
export type ProductSummary = z.infer<typeof productSummarySchema>;

export const productDetailSchema = productSummarySchema.extend({
  description: z.string(),
  materials: z.array(z.string()),
  pattern: z.string(),
  seasons: z.array(z.string()),
  formality: z.number().int().describe("1 = lounge … 5 = black tie"),
  styleTags: z.array(z.string()),
  productUrl: z.string().nullable(),
  stylePosition: z.object({ x: z.number(), y: z.number() }).describe("Position on the style map"),
  yourRating: z.union([z.literal(-1), z.literal(0), z.literal(1)]).nullable(),
});

// ---- procedures ----------------------------------------------------------------------------------

export const searchCatalog = defineProcedure({
  name: "catalog.search",
  title: "Search the catalog",
  description:
    "Search products by words (typos and spelling variants such as tee / t-shirt are tolerated) and filter by " +
    "category, brand and price range in USD. Returns at most `limit` items, best match first, each with " +
    "title, brand, price, image and the sizes in stock. An empty list means nothing matched: try fewer words " +
    "or wider filters. Without `q`, lists items matching the filters.",
  scopes: ["catalog:read"],
  input: searchInput,
  output: z.object({
    items: z.array(productSummarySchema),
    query: z.object({ terms: z.array(z.string()).describe("The words searched, after spelling correction") }),
  }),
  annotations: READ_ONLY,
  mcp: {
    widget: "product-carousel",
    invoking: "Searching the catalog…",
    invoked: "Found these items",
    widgetAccessible: true,
    list: "items",
    narrowHint: "add filters or lower `limit`",
    summary: ({ items, query }) =>
      items.length === 0
        ? `No items matched${query.terms.length ? ` ${query.terms.join(" ")}` : ""}: try fewer words or wider filters.`
        : `Found ${items.length} item${items.length === 1 ? "" : "s"}${query.terms.length ? ` for ${query.terms.join(" ")}` : ""}, shown in a carousel: ${items
            .slice(0, 3)
            .map((i) => `${i.title} (${i.price.formatted})`)
            .join(", ")}${items.length > 3 ? ", …" : ""}.`,
  },
  handler: async (ctx, input) => {
    const terms = await catalog.correctTerms(ctx.db, queryTokens(input.q ?? ""));
    const rows = await catalog.searchProducts(ctx.db, {
      terms,
      limit: input.limit,
      filters: {
        categories: input.filters?.category,
        brands: input.filters?.brand,
        minPriceMinor: input.filters?.minPrice === undefined ? undefined : toMinor(input.filters.minPrice),
        maxPriceMinor: input.filters?.maxPrice === undefined ? undefined : toMinor(input.filters.maxPrice),
      },
    });
    return { items: rows.map((row) => toSummary(ctx, row)), query: { terms } };
  },
});

export const getItem = defineProcedure({
  name: "catalog.getItem",
  title: "Get item details",
  description:
    "Full details of one catalog item by id (from catalog.search): description, materials, sizes in stock, " +
    "price, image, its place on the style map, and the user's own rating if they rated it.",
  scopes: ["catalog:read"],
  input: z.strictObject({ itemId: itemIdSchema }),
  output: productDetailSchema,
  annotations: READ_ONLY,
  mcp: {
    invoking: "Opening the item…",
    invoked: "Item details",
    summary: (item) => `${item.title} by ${item.brand}, ${item.price.formatted}; sizes in stock: ${item.sizesAvailable.join(", ") || "none"}.`,
  },
  handler: async (ctx, input) => {
    const row = await catalog.findProduct(ctx.db, input.itemId);
    if (!row) throw notFound("item", input.itemId);
    const rating = await findRating(ctx.db, ctx.actor.userId, row.id);
    return {
      ...toSummary(ctx, row),
      description: row.description,
      materials: row.materials,
      pattern: row.pattern,
      seasons: row.seasons,
      formality: row.formality,
      styleTags: row.styleTags,
      productUrl: row.productUrl,
      stylePosition: row.position,
      yourRating: rating ? (rating.rating as -1 | 0 | 1) : null,
    };
  },
});

// ---- helpers -------------------------------------------------------------------------------------

export function productImageUrl(ctx: Pick<Context, "appBaseUrl">, row: Pick<catalog.ProductRow, "id" | "imageUrl">) {
  return row.imageUrl ?? `${ctx.appBaseUrl}${productImagePath(row.id)}`;
}

function toSummary(ctx: Context, row: catalog.ProductSummaryRow): ProductSummary {
  return {
    id: row.id,
    title: row.title,
    brand: row.brand,
    category: row.category,
    subcategory: row.subcategory,
    price: money(row.priceMinor, row.currency),
    imageUrl: productImageUrl(ctx, row),
    pageUrl: `${ctx.appBaseUrl}${productPagePath(row.id)}`,
    sizesAvailable: row.sizesInStock,
    colors: row.colors,
  };
}
