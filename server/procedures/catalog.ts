import { z } from "zod";
import * as catalog from "@/db/repos/catalog";
import { createHash } from "node:crypto";
import { findRating } from "@/db/repos/feedback";
import { productImagePath, productPagePath } from "../catalog/links";
import { DEPARTMENTS } from "../catalog/attributes";
import { catalogIndexFor, loadedCatalogIndex } from "../search/index";
import { searchIndex, type Person, type SearchFilters } from "../search/search";
import { attributeValue, describeUnderstanding, isAttribute, understand } from "../search/service";
import type { Context } from "../context";
import { AppError, notFound } from "../errors";
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
    department: z.array(z.enum(DEPARTMENTS)).max(4).optional().describe("Who the items are made for"),
    color: z.array(filterWord).max(20).optional().describe('Colours, e.g. ["navy", "light blue"]'),
    size: z.array(filterWord).max(20).optional().describe('Sizes in stock, e.g. ["M"], ["32"] or ["EU 42"]'),
  })
  .refine((f) => f.minPrice === undefined || f.maxPrice === undefined || f.minPrice <= f.maxPrice, {
    message: "minPrice must not be greater than maxPrice",
    path: ["minPrice"],
  });

const MAX_OFFSET = 1000;

export const searchInput = z.strictObject({
  q: z.string().max(200, "must be at most 200 characters").optional().describe("What the shopper is looking for, in their words"),
  filters: catalogFiltersSchema.optional(),
  limit: z.number().int().min(1).max(50, "must be at most 50").default(10),
  cursor: z
    .string()
    .max(200, "is not a cursor from catalog.search")
    .optional()
    .describe("nextCursor from the previous page of the same search, for the next page"),
  facets: z.boolean().optional().describe("Also count the matches by department, category, colour, price band and size"),
});

export const productSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  brand: z.string(),
  category: z.string(),
  subcategory: z.string(),
  department: z.enum(DEPARTMENTS),
  price: moneySchema,
  imageUrl: z.string(),
  pageUrl: z.string().describe("The item's page on the Stylist site"),
  sizesAvailable: z.array(z.string()),
  colors: z.array(z.string()),
});
export type ProductSummary = z.infer<typeof productSummarySchema>;

const facetSchema = z.array(z.object({ value: z.string(), count: z.number().int() }));

export const searchOutput = z.object({
  items: z.array(productSummarySchema.extend({ why: z.string().describe("Why it ranks here, in a short phrase") })),
  total: z.number().int().describe("How many items match at least part of the query"),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page"),
  query: z.object({
    terms: z.array(z.string()).describe("The words searched, after spelling correction"),
    understood: z.string().describe("How the words were understood, for explaining or adjusting the search"),
    department: z.enum(DEPARTMENTS).nullable(),
    minPrice: z.number().nullable(),
    maxPrice: z.number().nullable(),
    sizes: z.array(z.string()),
    occasions: z.array(z.string()),
    weather: z.array(z.string()),
    excluded: z.array(z.string()),
    ignored: z.array(z.string()).describe("Words with no product meaning, not required to match"),
    unmatched: z.array(z.string()).describe("Words no item in the catalog has"),
    corrections: z.array(z.object({ from: z.string(), to: z.string() })),
  }),
  facets: z
    .object({ department: facetSchema, category: facetSchema, color: facetSchema, priceBand: facetSchema, size: facetSchema })
    .optional(),
});

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
    "Search products with the shopper's own words: garments, colours, materials, occasions (\"for a wedding\", " +
    "\"for work\"), weather (\"warm\", \"waterproof\"), fit and length, who it is for (\"for men\", \"my " +
    "girlfriend\"), price (\"under 150\", \"between 50 and 100\", \"cheap\"), sizes (\"in M\", \"size 42\") and " +
    "exclusions (\"not black\", \"without leather\"). Typos are corrected. Items matching every part come first, " +
    "then those matching most, ordered for the signed-in person (their sizes, style, ratings); each says why. " +
    "`query` says how the words were understood. Filters narrow by category, brand, price, department, colour " +
    "and size. Pass `nextCursor` back as `cursor` for more.",
  scopes: ["catalog:read"],
  input: searchInput,
  output: searchOutput,
  annotations: READ_ONLY,
  mcp: {
    widget: "product-carousel",
    invoking: "Searching the catalog…",
    invoked: "Found these items",
    widgetAccessible: true,
    list: "items",
    narrowHint: "add filters or lower `limit`",
    summary: ({ items, query, total }) =>
      items.length === 0
        ? `No items matched${query.understood ? ` ${query.understood}` : ""}: try fewer words or wider filters.`
        : `Found ${total} item${total === 1 ? "" : "s"}${query.understood ? ` for ${query.understood}` : ""}; showing ${items.length} in a carousel: ${items
            .slice(0, 3)
            .map((i) => `${i.title} (${i.price.formatted})`)
            .join(", ")}${items.length > 3 ? ", …" : ""}.`,
  },
  handler: async (ctx, input) => {
    const fingerprint = searchFingerprint(input);
    const offset = input.cursor === undefined ? 0 : readCursor(input.cursor, fingerprint);
    // Whether the catalog changed and the person's signals: one round trip (each query costs more than
    // the rest of a typical search's bookkeeping).
    const loaded = loadedCatalogIndex(ctx.db);
    const signals = await catalog.searchSignals(ctx.db, ctx.actor.kind === "user" ? ctx.actor.userId : null, loaded?.lastSeq ?? null);
    const index = await catalogIndexFor(ctx.db, loaded && signals.changedAfter !== null ? { seq: loaded.lastSeq, changed: signals.changedAfter } : undefined);
    const person = personOf(ctx, signals);
    const parsed = understand(index, input.q ?? "");
    const outcome = searchIndex(
      index,
      parsed,
      searchFiltersOf(input.filters),
      person,
      { offset, limit: input.limit, facets: input.facets },
    );
    const rows = outcome.hits.map((h) => index.summaryOf(h.ordinal));
    const why = new Map(outcome.hits.map((h) => [h.id, h.why]));
    const next = offset + input.limit;
    const clauseLabels = (kind: string) => parsed.clauses.filter((c) => c.kind === kind).map(attributeValue);
    return {
      items: rows.map((row) => ({ ...toSummary(ctx, row), why: why.get(row.id) ?? "" })),
      total: outcome.total,
      nextCursor: next < outcome.total && next <= MAX_OFFSET ? writeCursor(next, fingerprint) : null,
      query: {
        terms: parsed.clauses.filter((c) => !isAttribute(c)).map((c) => c.label),
        understood: describeUnderstanding(parsed),
        department: parsed.department ?? null,
        minPrice: parsed.minPriceMinor === undefined ? null : parsed.minPriceMinor / 100,
        maxPrice: parsed.maxPriceMinor === undefined ? null : parsed.maxPriceMinor / 100,
        sizes: parsed.sizes,
        occasions: clauseLabels("occasion"),
        weather: clauseLabels("weather"),
        excluded: parsed.exclude.map((e) => e.label.replace(/^not /, "")),
        ignored: parsed.ignored,
        unmatched: parsed.clauses.filter((c) => c.tokens.every((t) => index.count(t) === 0)).map((c) => c.label),
        corrections: parsed.corrections,
      },
      ...(outcome.facets ? { facets: outcome.facets } : {}),
    };
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

/** The tools' filters (USD major units, contract names) as the search index and the style map read them. */
export function searchFiltersOf(filters: z.infer<typeof catalogFiltersSchema> | undefined): SearchFilters {
  return {
    categories: filters?.category,
    brands: filters?.brand,
    departments: filters?.department,
    colors: filters?.color,
    sizes: filters?.size,
    minPriceMinor: filters?.minPrice === undefined ? undefined : toMinor(filters.minPrice),
    maxPriceMinor: filters?.maxPrice === undefined ? undefined : toMinor(filters.maxPrice),
  };
}

export function productImageUrl(ctx: Pick<Context, "appBaseUrl">, row: Pick<catalog.ProductRow, "id" | "imageUrl">) {
  return row.imageUrl ?? `${ctx.appBaseUrl}${productImagePath(row.id)}`;
}

/** What personal ranking reads: the profile's style tags and sizes, and the latest ratings. */
function personOf(ctx: Context, signals: catalog.SearchSignals): Person | null {
  if (ctx.actor.kind !== "user") return null;
  return {
    styleTags: signals.profile?.styleTags ?? [],
    sizes: signals.profile?.sizes ?? {},
    liked: signals.ratings.filter((r) => r.rating > 0).map((r) => r.productId),
    disliked: signals.ratings.filter((r) => r.rating < 0).map((r) => r.productId),
  };
}

/** A cursor is the next offset plus a fingerprint of the search it belongs to (pages of one search only). */
function searchFingerprint(input: z.infer<typeof searchInput>): string {
  return createHash("sha256")
    .update(JSON.stringify([input.q ?? "", input.filters ?? {}, input.limit]))
    .digest("base64url")
    .slice(0, 12);
}

function writeCursor(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString("base64url");
}

function readCursor(cursor: string, fingerprint: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  const value = parsed as { o?: unknown; f?: unknown } | null;
  if (!value || typeof value.o !== "number" || !Number.isInteger(value.o) || value.o < 0 || value.o > MAX_OFFSET || typeof value.f !== "string") {
    throw new AppError("validation", "Invalid cursor: it is not a nextCursor from catalog.search.", {
      issues: [{ field: "cursor", message: "is not a nextCursor from catalog.search" }],
    });
  }
  if (value.f !== fingerprint) {
    throw new AppError("validation", "Invalid cursor: it belongs to a different search; repeat the same q, filters and limit.", {
      issues: [{ field: "cursor", message: "belongs to a different search (q, filters and limit must be the same)" }],
    });
  }
  return value.o;
}

export function toSummary(ctx: Context, row: catalog.ProductSummaryRow): ProductSummary {
  return {
    id: row.id,
    title: row.title,
    brand: row.brand,
    category: row.category,
    subcategory: row.subcategory,
    department: row.department,
    price: money(row.priceMinor, row.currency),
    imageUrl: productImageUrl(ctx, row),
    pageUrl: `${ctx.appBaseUrl}${productPagePath(row.id)}`,
    sizesAvailable: row.sizesInStock,
    colors: row.colors,
  };
}
