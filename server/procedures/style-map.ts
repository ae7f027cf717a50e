import { z } from "zod";
import { styleAnchor } from "@/db/seed/style-space";
import { STYLE_WHEEL } from "@/db/seed/vocabulary";
import * as catalog from "@/db/repos/catalog";
import { recentRatings } from "@/db/repos/feedback";
import { findProfile } from "@/db/repos/profiles";
import type { Context } from "../context";
import { notFound } from "../errors";
import { money } from "../money";
import { queryMap } from "../stylemap/cluster";
import { styleMapFor, type StyleMapIndex } from "../stylemap/map-index";
import { rankNeighbours } from "../stylemap/neighbors";
import { AXES, MAX_CLUSTER_ZOOM, MAX_ZOOM, MIN_ZOOM, WORLD, round, styleLandmarks, type Viewport } from "../stylemap/space";
import { ratedPoints, styleRegion, type RatingPoints } from "../stylemap/taste";
import { catalogFiltersSchema, itemIdSchema, productImageUrl, productSummarySchema, searchFiltersOf, toSummary } from "./catalog";
import { defineProcedure, READ_ONLY } from "./define";

// ---- schemas -------------------------------------------------------------------------------------

const COORDINATE_LIMIT = 100_000;
const coordinate = z
  .number()
  .finite()
  .min(-COORDINATE_LIMIT, `must be at least -${COORDINATE_LIMIT}`)
  .max(COORDINATE_LIMIT, `must be at most ${COORDINATE_LIMIT}`);

export const viewportSchema = z
  .strictObject({ xmin: coordinate, xmax: coordinate, ymin: coordinate, ymax: coordinate })
  .refine((v) => v.xmin < v.xmax, { message: "must be greater than xmin", path: ["xmax"] })
  .refine((v) => v.ymin < v.ymax, { message: "must be greater than ymin", path: ["ymax"] })
  .describe("The map area in style units (the catalog spans about -140…140 on both axes)");

const zoomSchema = z
  .number()
  .finite()
  .min(MIN_ZOOM, `must be at least ${MIN_ZOOM}`)
  .max(MAX_ZOOM, `must be at most ${MAX_ZOOM}`)
  .describe(`Map zoom (${MIN_ZOOM}…${MAX_ZOOM}; at zoom z one unit is 2^z pixels, so 0 shows the whole catalog in about 300 px)`);

const servedViewportSchema = z
  .object({ xmin: z.number(), xmax: z.number(), ymin: z.number(), ymax: z.number() })
  .nullable()
  .describe("The area actually served: the request narrowed to what the zoom can show, widened to whole clusters; null when off the map");

const facetSchema = z.array(z.object({ value: z.string(), count: z.number().int() }));

const clusterSchema = z.object({
  id: z.string().describe("Stable for this zoom level: the same id is the same cluster whatever the pan or filters"),
  count: z.number().int(),
  x: z.number(),
  y: z.number(),
  bounds: z.object({ xmin: z.number(), xmax: z.number(), ymin: z.number(), ymax: z.number() }).describe("Zoom to these bounds to open the cluster"),
  expansionZoom: z.number().int().describe("The zoom at which this cluster splits"),
  label: z.string().describe('Its style and what it holds, e.g. "classic: mostly outerwear; black and navy"'),
  priceRange: z.object({ min: z.number(), max: z.number(), formatted: z.string() }).describe('Lowest and highest price in major units, e.g. "$12.00–$480.00"'),
  topCategories: facetSchema,
  topColors: facetSchema,
  representative: z.object({ id: z.string(), title: z.string(), imageUrl: z.string() }),
});

const rating = z.union([z.literal(-1), z.literal(0), z.literal(1)]).nullable();
/** A product as the map shows it: what a marker and its panel need (catalog.getItem has the rest). */
const mapItemSchema = productSummarySchema
  .pick({ id: true, title: true, brand: true, category: true, department: true, price: true, imageUrl: true, pageUrl: true })
  .extend({ x: z.number(), y: z.number(), yourRating: rating });
const pointSchema = z.object({ id: z.string(), x: z.number(), y: z.number() });

const tasteSchema = z
  .object({
    region: z
      .object({
        x: z.number(),
        y: z.number(),
        radius: z.number(),
        label: z.string().describe('The styles nearest its centre, e.g. "classic and preppy"'),
        basedOn: z.object({ likes: z.number().int(), styleTags: z.number().int() }),
      })
      .nullable()
      .describe("Where the person's taste sits on the map, from their likes and style tags"),
    liked: z.array(pointSchema).describe("Their liked items inside the viewport"),
    disliked: z.array(pointSchema).describe("Their disliked items inside the viewport"),
  })
  .nullable();

const legendSchema = z.object({
  axes: z.object({
    x: z.object({ negative: z.string(), positive: z.string() }),
    y: z.object({ negative: z.string(), positive: z.string() }),
    method: z.string(),
  }),
  styles: z.array(z.object({ label: z.string(), x: z.number(), y: z.number() })),
  categories: z.array(z.object({ label: z.string(), x: z.number(), y: z.number() })),
  departments: z.array(z.object({ label: z.string(), x: z.number(), y: z.number() })),
});

const mapFiltersSchema = catalogFiltersSchema.optional().describe("The same filters as catalog.search; they apply to clusters and items alike");

export const viewportInput = z.strictObject({
  viewport: viewportSchema,
  zoom: zoomSchema,
  filters: mapFiltersSchema,
  limit: z.number().int().min(1).max(100, "must be at most 100").default(40).describe("At most this many single items"),
});

export const viewportOutput = z.object({
  type: z.literal("style_map"),
  zoom: z.number(),
  viewport: servedViewportSchema,
  total: z.number().int().describe("Items under the filters in the served viewport: clusters' counts + items + omitted"),
  items: z.array(mapItemSchema).describe("Items shown on their own (zoomed in, or alone in their cell)"),
  clusters: z.array(clusterSchema),
  omitted: z.number().int().describe("Single items not listed in `items`; zoom in to see them"),
  moreItems: z
    .array(mapItemSchema)
    .describe("Single items up to `limit` past what one answer to a model holds, counted in `omitted`: the widget draws them (through /mcp they travel in _meta)"),
  maxClusterZoom: z.number().int().describe("From the zoom after this one, every item is shown on its own"),
  taste: tasteSchema,
  legend: legendSchema,
});

const clustersInput = z.strictObject({
  viewport: viewportSchema.optional().describe("The area; the whole map when absent"),
  zoom: zoomSchema,
  filters: mapFiltersSchema,
});

const clustersOutput = z.object({
  type: z.literal("style_map"),
  zoom: z.number(),
  viewport: servedViewportSchema,
  total: z.number().int(),
  clusters: z.array(clusterSchema),
  unclustered: z.number().int().describe("Items alone in their cell at this zoom (styleMap.getViewportItems lists them)"),
});

const neighbourSchema = mapItemSchema.extend({
  distance: z.number().describe("Distance on the map, in style units"),
  why: z.string().describe('Why it is near, e.g. "same relaxed linen look, 30% cheaper"'),
});

const neighboursOutput = z.object({
  type: z.literal("style_neighbors"),
  item: mapItemSchema,
  neighbors: z.array(neighbourSchema),
});

// ---- procedures ----------------------------------------------------------------------------------

export const getViewportItems = defineProcedure({
  name: "styleMap.getViewportItems",
  title: "Show the style map",
  description:
    "The style map: the catalog laid out in 2D so similar styles sit together (east classic and preppy, west " +
    "sporty and streetwear, north romantic and bohemian, south edgy and minimalist; dressier items higher). " +
    "Returns the clusters and single items in a viewport at a zoom, with the same filters as catalog.search. " +
    "Start with viewport {xmin:-150,xmax:150,ymin:-150,ymax:150} at zoom 0; zoom into a cluster with its " +
    "`bounds` and `expansionZoom`. For a signed-in person, `taste` shows their liked and disliked items and " +
    "the region their style sits in. The widget renders an interactive map.",
  scopes: ["stylemap:read", "catalog:read"],
  input: viewportInput,
  output: viewportOutput,
  annotations: READ_ONLY,
  mcp: {
    widget: "style-map",
    invoking: "Drawing the style map…",
    invoked: "Here is the style map",
    widgetAccessible: true,
    widgetOnly: ["legend", "moreItems"],
    list: "clusters",
    narrowHint: "zoom in or pass a smaller viewport",
    summary: (out) =>
      out.total === 0
        ? "Nothing on the map here under these filters: zoom out or widen the filters."
        : `${out.total} item${out.total === 1 ? "" : "s"} in view at zoom ${out.zoom}: ${out.clusters.length} cluster${
            out.clusters.length === 1 ? "" : "s"
          }${out.clusters.length ? ` (largest: ${out.clusters[0]!.label}, ${out.clusters[0]!.count})` : ""} and ${out.items.length} single item${
            out.items.length === 1 ? "" : "s"
          }.${out.taste?.region ? ` Their style sits around the ${out.taste.region.label} area.` : ""}`,
  },
  handler: async (ctx, input) => {
    const map = await styleMapFor(ctx.db);
    const answer = queryMap(map, { viewport: input.viewport, zoom: input.zoom, filters: searchFiltersOf(input.filters), limit: input.limit });
    const person = await personOf(ctx, map);
    const rows = summariesAt(map, [...answer.singles, ...answer.clusters.map((c) => c.representative)]);
    const clusters = answer.clusters.map((c) => clusterView(ctx, map, c, rows));
    // One answer stays readable by a model: single items past the budget are counted, not listed, and
    // go to the map alone (`moreItems`, which the MCP door sends the widget in _meta). The site's door
    // has no model to spare: every single item up to `limit` is listed.
    let budget = ctx.actor.via === "mcp" ? ANSWER_BUDGET_CHARS - JSON.stringify(clusters).length : Infinity;
    const items: Array<z.infer<typeof mapItemSchema>> = [];
    const moreItems: Array<z.infer<typeof mapItemSchema>> = [];
    for (const i of answer.singles) {
      const row = rows.get(idAt(map, i));
      if (!row) continue;
      const item = { ...mapProduct(ctx, row), x: round(map.x[i]!), y: round(map.y[i]!), yourRating: person.ratingOf(row.id) };
      budget -= JSON.stringify(item).length + 1;
      (budget >= 0 && moreItems.length === 0 ? items : moreItems).push(item);
    }
    return {
      type: "style_map" as const,
      zoom: input.zoom,
      viewport: answer.viewport,
      total: answer.total,
      items,
      clusters,
      omitted: answer.omitted + (answer.singles.length - items.length),
      moreItems,
      maxClusterZoom: MAX_CLUSTER_ZOOM,
      taste: person.taste(answer.viewport),
      legend: legend(map),
    };
  },
});

export const getClusters = defineProcedure({
  name: "styleMap.getClusters",
  title: "Summarise the style map",
  description:
    "The style map's clusters at a zoom (the whole map when no viewport is given), each with its count, centre, " +
    "price range, top categories and colours and a representative item: an overview of what the catalog holds " +
    "where. Same filters as catalog.search.",
  scopes: ["stylemap:read", "catalog:read"],
  input: clustersInput,
  output: clustersOutput,
  annotations: READ_ONLY,
  mcp: {
    invoking: "Summarising the style map…",
    invoked: "Style map clusters",
    widgetAccessible: true,
    list: "clusters",
    narrowHint: "zoom out, pass a viewport or add filters",
    summary: (out) =>
      `${out.clusters.length} cluster${out.clusters.length === 1 ? "" : "s"} holding ${out.total - out.unclustered} of ${out.total} items${
        out.clusters.length ? `: ${out.clusters.slice(0, 3).map((c) => `${c.label} (${c.count})`).join("; ")}` : ""
      }.`,
  },
  handler: async (ctx, input) => {
    const map = await styleMapFor(ctx.db);
    const answer = queryMap(map, { viewport: input.viewport ?? WORLD, zoom: input.zoom, filters: searchFiltersOf(input.filters), limit: 0 });
    const rows = summariesAt(map, answer.clusters.map((c) => c.representative));
    const clusters = answer.clusters.map((c) => clusterView(ctx, map, c, rows));
    return {
      type: "style_map" as const,
      zoom: input.zoom,
      viewport: answer.viewport,
      total: answer.total,
      clusters,
      unclustered: answer.total - clusters.reduce((sum, c) => sum + c.count, 0),
    };
  },
});

export const getItemNeighbors = defineProcedure({
  name: "styleMap.getItemNeighbors",
  title: "Find items near in style",
  description:
    "Items nearest in style to one item: near on the style map and alike in category, colour, material, fit, " +
    "formality and price tier, moved up near what the person liked and down near what they disliked. Each " +
    'says why in a short phrase ("same relaxed linen look, 30% cheaper").',
  scopes: ["stylemap:read", "catalog:read"],
  input: z.strictObject({ itemId: itemIdSchema, limit: z.number().int().min(1).max(30, "must be at most 30").default(8) }),
  output: neighboursOutput,
  annotations: READ_ONLY,
  mcp: {
    invoking: "Finding similar styles…",
    invoked: "Items near in style",
    widgetAccessible: true,
    summary: (out) =>
      `${out.neighbors.length} item${out.neighbors.length === 1 ? "" : "s"} near ${out.item.title} in style${
        out.neighbors.length ? `: ${out.neighbors.slice(0, 3).map((n) => `${n.title} (${n.why})`).join("; ")}` : ""
      }.`,
  },
  handler: async (ctx, input) => {
    const [item] = await catalog.findNeighbourRows(ctx.db, [input.itemId]);
    if (!item) throw notFound("item", input.itemId);
    const map = await styleMapFor(ctx.db);
    const person = await personOf(ctx, map);
    const candidates = await catalog.productsNear(ctx.db, item.position.x, item.position.y, Math.max(120, input.limit * 15));
    const ranked = rankNeighbours(item, candidates, person.points, input.limit);
    const place = (row: catalog.NeighbourRow) => ({ ...mapProduct(ctx, row), x: round(row.position.x), y: round(row.position.y), yourRating: person.ratingOf(row.id) });
    return {
      type: "style_neighbors" as const,
      item: place(item),
      neighbors: ranked.map((n) => ({ ...place(n.row), distance: round(n.distance), why: n.why })),
    };
  },
});

// ---- helpers -------------------------------------------------------------------------------------

function mapProduct(ctx: Context, row: catalog.ProductSummaryRow) {
  const { id, title, brand, category, department, price, imageUrl, pageUrl } = toSummary(ctx, row);
  return { id, title, brand, category, department, price, imageUrl, pageUrl };
}

/** The style a point of the map belongs to: the nearest anchor of the style wheel (the centre is mixed). */
function styleNear(x: number, y: number): string {
  if (Math.hypot(x, y) < 25) return "mixed styles";
  let best = "";
  let bestDistance = Infinity;
  for (const tag of STYLE_WHEEL) {
    const a = styleAnchor(tag);
    const d = Math.hypot(a.x * 0.7 - x, a.y * 0.7 - y);
    if (d < bestDistance) {
      bestDistance = d;
      best = tag;
    }
  }
  return best;
}

/** The cards of these map positions, from the search index the map follows (no query). */
function summariesAt(map: StyleMapIndex, positions: readonly number[]): Map<string, catalog.ProductSummaryRow> {
  const rows = new Map<string, catalog.ProductSummaryRow>();
  for (const i of positions) {
    const row = map.catalog.summaryOf(map.ordinal[i]!);
    rows.set(row.id, row);
  }
  return rows;
}

function idAt(map: StyleMapIndex, i: number): string {
  return map.catalog.ids[map.ordinal[i]!]!;
}

function clusterView(ctx: Context, map: StyleMapIndex, c: ReturnType<typeof queryMap>["clusters"][number], rows: Map<string, catalog.ProductSummaryRow>) {
  const repId = idAt(map, c.representative);
  const rep = rows.get(repId);
  const currency = rep?.currency ?? "USD";
  const colours = c.topColors.map((f) => f.value);
  const main = c.topCategories[0];
  const mostly = main && main.count * 2 > c.count ? `mostly ${main.value}` : c.topCategories.map((f) => f.value).join(", ");
  return {
    id: c.id,
    count: c.count,
    x: round(c.x),
    y: round(c.y),
    bounds: { xmin: round(c.bounds.xmin), xmax: round(c.bounds.xmax), ymin: round(c.bounds.ymin), ymax: round(c.bounds.ymax) },
    expansionZoom: c.expansionZoom,
    label: `${styleNear(c.x, c.y)}: ${mostly}${colours.length ? `; ${colours.slice(0, 2).join(" and ")}` : ""}`,
    priceRange: {
      min: c.minPriceMinor / 100,
      max: c.maxPriceMinor / 100,
      formatted: `${money(c.minPriceMinor, currency).formatted}–${money(c.maxPriceMinor, currency).formatted}`,
    },
    topCategories: c.topCategories,
    topColors: c.topColors,
    representative: { id: repId, title: rep?.title ?? "", imageUrl: rep ? productImageUrl(ctx, rep) : "" },
  };
}

interface PersonOnMap {
  points: RatingPoints;
  ratingOf(id: string): -1 | 0 | 1 | null;
  taste(viewport: Viewport | null): z.infer<typeof tasteSchema>;
}

const MAX_TASTE_POINTS = 50;
/** What one map answer to a model may hold in items and clusters (the MCP door's model budget is 24,000). */
const ANSWER_BUDGET_CHARS = 21_000;

async function personOf(ctx: Context, map: StyleMapIndex): Promise<PersonOnMap> {
  if (ctx.actor.kind !== "user") {
    return { points: { liked: [], disliked: [] }, ratingOf: () => null, taste: () => null };
  }
  const [profile, ratings] = await Promise.all([findProfile(ctx.db, ctx.actor.userId), recentRatings(ctx.db, ctx.actor.userId)]);
  const byId = new Map(ratings.map((r) => [r.productId, r.rating as -1 | 0 | 1]));
  const points = ratedPoints(map.catalog, ratings);
  const region = styleRegion(points, profile?.styleTags ?? []);
  const within = (v: Viewport | null) => (p: { x: number; y: number }) => v !== null && p.x >= v.xmin && p.x < v.xmax && p.y >= v.ymin && p.y < v.ymax;
  const rounded = (p: { id: string; x: number; y: number }) => ({ id: p.id, x: round(p.x), y: round(p.y) });
  return {
    points,
    ratingOf: (id) => byId.get(id) ?? null,
    taste: (v) => ({
      region,
      liked: points.liked.filter(within(v)).slice(0, MAX_TASTE_POINTS).map(rounded),
      disliked: points.disliked.filter(within(v)).slice(0, MAX_TASTE_POINTS).map(rounded),
    }),
  };
}

/** The legend: what the axes mean, where the styles, categories and departments sit (cached per index state). */
const legends = new WeakMap<StyleMapIndex, { version: number; legend: z.infer<typeof legendSchema> }>();

function legend(map: StyleMapIndex): z.infer<typeof legendSchema> {
  const cached = legends.get(map);
  if (cached && cached.version === map.version) return cached.legend;
  const centroids = (codes: ArrayLike<number>, names: readonly string[]) => {
    const sx = new Float64Array(names.length);
    const sy = new Float64Array(names.length);
    const n = new Float64Array(names.length);
    for (let i = 0; i < map.length; i++) {
      if (!map.alive[i]) continue;
      const k = codes[i]!;
      sx[k] = sx[k]! + map.x[i]!;
      sy[k] = sy[k]! + map.y[i]!;
      n[k] = n[k]! + 1;
    }
    return names.flatMap((label, k) => (n[k]! > 0 ? [{ label, x: round(sx[k]! / n[k]!), y: round(sy[k]! / n[k]!) }] : []));
  };
  const value = {
    axes: { x: { ...AXES.x }, y: { ...AXES.y }, method: AXES.method },
    styles: styleLandmarks(),
    categories: centroids(map.category, map.catalog.categories.values),
    departments: centroids(map.department, map.catalog.departments.values),
  };
  legends.set(map, { version: map.version, legend: value });
  return value;
}
