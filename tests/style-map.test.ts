import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { z } from "zod";
import { products } from "@/db/schema";
import type { ProductRow } from "@/db/repos/catalog";
import type { viewportOutput } from "@/server/procedures/style-map";
import { useTestApp } from "./support/fixture";
import { callOk, callTool } from "./support/mcp";

const fixture = useTestApp();
type MapResult = z.infer<typeof viewportOutput>;
interface Neighbours {
  item: { id: string };
  neighbors: Array<{ id: string; why: string; distance: number; yourRating: number | null }>;
}
let alice: Client;
let bob: Client;
let catalog: ProductRow[];
const WHOLE = { xmin: -200, xmax: 200, ymin: -200, ymax: 200 };

beforeAll(async () => {
  alice = await fixture.app.mcpClient("alice");
  bob = await fixture.app.mcpClient("bob");
  catalog = await fixture.database.db.select().from(products);
});

const view = (args: Record<string, unknown>, client: Client = alice) => callOk<MapResult>(client, "styleMap.getViewportItems", { limit: 100, ...args });
const counted = (r: MapResult) => r.clusters.reduce((sum, c) => sum + c.count, 0) + r.items.length + r.omitted;

describe("styleMap.getViewportItems", () => {
  it("the whole map at zoom 0 holds every item once, in clusters with what a map needs", async () => {
    const outcome = await callTool<MapResult>(alice, "styleMap.getViewportItems", { viewport: WHOLE, zoom: 0, limit: 100 });
    const map = outcome.data;
    expect(map.type).toBe("style_map");
    expect(map.total).toBe(catalog.length);
    expect(counted(map)).toBe(catalog.length);
    expect(map.clusters.length).toBeGreaterThan(3);
    const big = map.clusters[0]!;
    expect(big.count).toBeGreaterThan(10);
    expect(big.label).toMatch(/\w/);
    expect(big.expansionZoom).toBeGreaterThan(0);
    expect(big.priceRange.min).toBeLessThanOrEqual(big.priceRange.max);
    expect(big.priceRange.formatted).toMatch(/^\$[\d,.]+–\$[\d,.]+$/);
    expect(big.representative.imageUrl).toContain("/images/products/");
    expect(big.x).toBeGreaterThanOrEqual(big.bounds.xmin);
    // The legend travels to the widget only, never to the model.
    expect(map).not.toHaveProperty("legend");
    const legend = (outcome.meta as { legend: MapResult["legend"] }).legend;
    expect(legend.styles.map((s) => s.label)).toContain("classic");
    expect(legend.categories.length).toBeGreaterThan(3);
    expect(legend.axes.x.positive).toContain("classic");
  });

  it("filters apply to clusters and items alike: a category, a price band, a brand, all three", async () => {
    const brand = catalog[0]!.brand;
    const cases: Array<[Record<string, unknown>, (p: ProductRow) => boolean]> = [
      [{ category: ["shoes"] }, (p) => p.category === "shoes"],
      [{ minPrice: 50, maxPrice: 120 }, (p) => p.priceMinor >= 5000 && p.priceMinor <= 12000],
      [{ brand: [brand.toUpperCase()] }, (p) => p.brand === brand],
      [{ category: ["tops"], minPrice: 20, maxPrice: 300, brand: [brand] }, (p) => p.category === "tops" && p.brand === brand && p.priceMinor >= 2000 && p.priceMinor <= 30000],
    ];
    for (const [filters, keep] of cases) {
      const map = await view({ viewport: WHOLE, zoom: 1, filters });
      expect(map.total, JSON.stringify(filters)).toBe(catalog.filter(keep).length);
      expect(counted(map), `counted ${JSON.stringify(filters)}`).toBe(map.total);
      const byId = new Map(catalog.map((p) => [p.id, p]));
      for (const item of map.items) expect(keep(byId.get(item.id)!)).toBe(true);
      for (const c of map.clusters) expect(keep(byId.get(c.representative.id)!)).toBe(true);
    }
  });

  it("is stable under pan: the clusters two overlapping views share are identical", async () => {
    const a = await view({ viewport: { xmin: -120, xmax: 40, ymin: -100, ymax: 60 }, zoom: 2 });
    const b = await view({ viewport: { xmin: -80, xmax: 80, ymin: -100, ymax: 60 }, zoom: 2 });
    const shared = a.clusters.filter((c) => b.clusters.some((d) => d.id === c.id));
    expect(shared.length).toBeGreaterThan(0);
    for (const c of shared) expect(b.clusters.find((d) => d.id === c.id)).toEqual(c);
  });

  it("zoomed in, items stand alone with their pictures and the viewport served is whole cells", async () => {
    const p = catalog[5]!;
    const map = await view({ viewport: { xmin: p.position.x - 1, xmax: p.position.x + 1, ymin: p.position.y - 1, ymax: p.position.y + 1 }, zoom: 13 });
    expect(map.clusters).toEqual([]);
    expect(map.items.map((i) => i.id)).toContain(p.id);
    expect(map.maxClusterZoom).toBeLessThan(13);
    expect(map.viewport!.xmin).toBeLessThanOrEqual(p.position.x);
  });

  it("an empty corner answers in the same schema; off the map the served viewport is null", async () => {
    const corner = await view({ viewport: { xmin: 230, xmax: 250, ymin: 230, ymax: 250 }, zoom: 3 });
    expect(corner).toMatchObject({ total: 0, items: [], clusters: [], omitted: 0 });
    const away = await view({ viewport: { xmin: 5000, xmax: 6000, ymin: 5000, ymax: 6000 }, zoom: 0 });
    expect(away).toMatchObject({ viewport: null, total: 0, items: [], clusters: [] });
  });

  it("a viewport wider than the zoom can show is narrowed around its centre", async () => {
    const map = await view({ viewport: { xmin: -100, xmax: 100, ymin: -100, ymax: 100 }, zoom: 8 });
    const served = map.viewport!;
    expect(served.xmax - served.xmin).toBeLessThanOrEqual(2048 / 2 ** 8 + 1);
    expect(counted(map)).toBe(map.total);
  });

  it("draws every cluster and single items up to the limit on both doors; the model reads only what it can", async () => {
    // The whole map at zoom 3: about 150 clusters and 200 items alone in their cells, far more than one
    // answer to a model holds.
    const args = { viewport: WHOLE, zoom: 3, limit: 100 };
    const viaMcp = await callTool<MapResult>(alice, "styleMap.getViewportItems", args);
    const token = await fixture.app.idp.tokenFor("alice", { scopes: ["stylemap:read", "catalog:read"] });
    const response = await fetch(`${fixture.app.url}/api/trpc/styleMap.getViewportItems?input=${encodeURIComponent(JSON.stringify(args))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const site = ((await response.json()) as { result: { data: MapResult } }).result.data;
    expect(site.total).toBe(catalog.length);
    expect(site.clusters.length).toBeGreaterThan(50);
    expect(site.items.length + site.omitted).toBeGreaterThan(100);
    // The site lists every cluster, and single items up to the limit.
    expect(site.items.length).toBe(100);
    expect(site.moreItems).toEqual([]);
    expect(counted(site)).toBe(site.total);
    // Through /mcp the model's answer stays within its budget (the summary says what was cut)…
    const model = viaMcp.data;
    expect(JSON.stringify(model).length).toBeLessThanOrEqual(24_000);
    expect(model).not.toHaveProperty("moreItems");
    expect(model.clusters.length).toBeLessThan(site.clusters.length);
    expect(model.items.length).toBeLessThan(100);
    expect(viaMcp.summary).toMatch(/Only the first \d+ of \d+ are shown/);
    // …and the widget, which reads structuredContent with _meta over it, draws what the site draws.
    const meta = viaMcp.meta as { clusters: MapResult["clusters"]; moreItems: MapResult["items"] };
    expect(meta.clusters.map((c) => c.id)).toEqual(site.clusters.map((c) => c.id));
    expect([...model.items, ...meta.moreItems].map((i) => i.id)).toEqual(site.items.map((i) => i.id));
  });

  it("whatever the view, zoom, filters and limit, both doors count each item under the filters in view once, and the widget draws what the site draws", async () => {
    const token = await fixture.app.idp.tokenFor("alice", { scopes: ["stylemap:read", "catalog:read"] });
    const onSite = async (args: Record<string, unknown>) => {
      const response = await fetch(`${fixture.app.url}/api/trpc/styleMap.getViewportItems?input=${encodeURIComponent(JSON.stringify(args))}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { result: { data: MapResult } }).result.data;
    };
    const brands = [...new Set(catalog.map((p) => p.brand))].sort().slice(0, 6);
    const argsArb = fc.record({
      x: fc.double({ min: -160, max: 160, noNaN: true }),
      y: fc.double({ min: -160, max: 160, noNaN: true }),
      width: fc.double({ min: 0.01, max: 400, noNaN: true }),
      height: fc.double({ min: 0.01, max: 400, noNaN: true }),
      zoom: fc.oneof(fc.integer({ min: -3, max: 16 }), fc.double({ min: -3, max: 16, noNaN: true })),
      limit: fc.integer({ min: 1, max: 100 }),
      filters: fc.record(
        {
          category: fc.subarray(["tops", "shoes", "jeans", "outerwear", "dresses"], { minLength: 1 }),
          brand: fc.subarray(brands, { minLength: 1 }).map((list) => list.map((b) => b.toUpperCase())),
          minPrice: fc.integer({ min: 0, max: 150 }),
          maxPrice: fc.integer({ min: 150, max: 600 }),
          department: fc.subarray(["women", "men", "unisex"] as const, { minLength: 1 }),
        },
        { requiredKeys: [] },
      ),
    });
    const EPS = 1e-3;
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(argsArb, async (a) => {
        const args = { viewport: { xmin: a.x - a.width / 2, xmax: a.x + a.width / 2, ymin: a.y - a.height / 2, ymax: a.y + a.height / 2 }, zoom: a.zoom, limit: a.limit, filters: a.filters };
        const [mcp, site] = await Promise.all([callTool<MapResult>(alice, "styleMap.getViewportItems", args), onSite(args)]);
        expect(mcp.isError, JSON.stringify(mcp.error)).toBe(false);
        const f = a.filters;
        const keep = (p: ProductRow) =>
          (!f.category || f.category.includes(p.category) || f.category.includes(p.subcategory)) &&
          (!f.brand || f.brand.includes(p.brand.toUpperCase())) &&
          (f.minPrice === undefined || p.priceMinor >= f.minPrice * 100) &&
          (f.maxPrice === undefined || p.priceMinor <= f.maxPrice * 100) &&
          (!f.department || (f.department as string[]).includes(p.department));
        const byId = new Map(catalog.map((p) => [p.id, p]));
        // The site's door: every item under the filters inside the served viewport, once.
        expect(counted(site)).toBe(site.total);
        expect(site.items.length).toBeLessThanOrEqual(a.limit);
        const served = site.viewport;
        if (!served) expect(site).toMatchObject({ total: 0, items: [], clusters: [] });
        else {
          const inside = (x: number, y: number, eps: number) => x >= served.xmin - eps && x <= served.xmax + eps && y >= served.ymin - eps && y <= served.ymax + eps;
          const matching = catalog.filter(keep);
          expect(site.total).toBeGreaterThanOrEqual(matching.filter((p) => inside(p.position.x, p.position.y, -EPS)).length);
          expect(site.total).toBeLessThanOrEqual(matching.filter((p) => inside(p.position.x, p.position.y, EPS)).length);
          for (const item of site.items) {
            expect(keep(byId.get(item.id)!)).toBe(true);
            expect(inside(item.x, item.y, 0.01)).toBe(true);
          }
          for (const c of site.clusters) {
            expect(keep(byId.get(c.representative.id)!)).toBe(true);
            expect(inside(c.bounds.xmin, c.bounds.ymin, EPS) && inside(c.bounds.xmax, c.bounds.ymax, EPS)).toBe(true);
          }
          expect(new Set(site.items.map((i) => i.id)).size).toBe(site.items.length);
        }
        // Through /mcp: the same figures; the widget (structuredContent with _meta over it) draws what the site draws.
        if (site.total > 0) nonEmpty++;
        expect(mcp.data.total).toBe(site.total);
        expect(counted(mcp.data)).toBe(mcp.data.total);
        const meta = (mcp.meta ?? {}) as { clusters?: MapResult["clusters"]; moreItems?: MapResult["items"] };
        expect((meta.clusters ?? mcp.data.clusters).map((c) => c.id)).toEqual(site.clusters.map((c) => c.id));
        expect([...mcp.data.items, ...(meta.moreItems ?? [])].map((i) => i.id)).toEqual(site.items.map((i) => i.id));
      }),
      { numRuns: 60, seed: 7 },
    );
    // The generated views reach the catalog, not only empty corners.
    expect(nonEmpty).toBeGreaterThan(10);
  }, 120_000);

  it("bad input is a validation error naming the field, never internal", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ viewport: { xmin: 10, xmax: -10, ymin: 0, ymax: 1 }, zoom: 0 }, "viewport.xmax"],
      [{ viewport: { xmin: 0, xmax: 1, ymin: 5, ymax: 5 }, zoom: 0 }, "viewport.ymax"],
      [{ viewport: { xmin: -1e12, xmax: 1, ymin: 0, ymax: 1 }, zoom: 0 }, "viewport.xmin"],
      [{ viewport: WHOLE, zoom: 99 }, "zoom"],
      [{ viewport: WHOLE, zoom: 0, limit: 5000 }, "limit"],
      [{ viewport: WHOLE, zoom: 0, filters: { minPrice: 100, maxPrice: 10 } }, "filters.minPrice"],
    ];
    for (const [args, field] of cases) {
      const outcome = await callTool(alice, "styleMap.getViewportItems", args);
      expect(outcome.isError).toBe(true);
      expect(outcome.error!.code).toBe("validation");
      expect(outcome.error!.issues!.map((i) => i.field)).toContain(field);
    }
  });

  it("shows the person's taste: rated items marked, liked ones and a style region, for them only", async () => {
    const liked = catalog.filter((p) => p.styleTags[0] === "classic").slice(0, 3);
    const disliked = catalog.find((p) => p.styleTags[0] === "streetwear")!;
    for (const p of liked) await callOk(alice, "feedback.rateItem", { itemId: p.id, rating: 1 });
    await callOk(alice, "feedback.rateItem", { itemId: disliked.id, rating: -1 });
    const map = await view({ viewport: WHOLE, zoom: 0 });
    expect(map.taste!.liked.map((p) => p.id).sort()).toEqual(liked.map((p) => p.id).sort());
    expect(map.taste!.disliked.map((p) => p.id)).toEqual([disliked.id]);
    expect(map.taste!.region!.label).toMatch(/classic|preppy|workwear/);
    expect(map.taste!.region!.x).toBeGreaterThan(0);
    const p = liked[0]!;
    const close = await view({ viewport: { xmin: p.position.x - 0.5, xmax: p.position.x + 0.5, ymin: p.position.y - 0.5, ymax: p.position.y + 0.5 }, zoom: 13 });
    expect(close.items.find((i) => i.id === p.id)?.yourRating).toBe(1);
    const bobs = await view({ viewport: WHOLE, zoom: 0 }, bob);
    expect(bobs.taste).toEqual({ region: null, liked: [], disliked: [] });
  });

  it("follows the catalog: a price change moves an item across a price filter on the next call", async () => {
    const p = catalog.find((r) => r.priceMinor > 20000)!;
    const filters = { maxPrice: 1 };
    const before = await view({ viewport: WHOLE, zoom: 14, filters });
    expect(before.total).toBe(0);
    await fixture.database.db.update(products).set({ priceMinor: 50 }).where(eq(products.id, p.id));
    const after = await view({ viewport: { xmin: p.position.x - 0.1, xmax: p.position.x + 0.1, ymin: p.position.y - 0.1, ymax: p.position.y + 0.1 }, zoom: 14, filters });
    expect(after.items.map((i) => i.id)).toEqual([p.id]);
    await fixture.database.db.update(products).set({ priceMinor: p.priceMinor }).where(eq(products.id, p.id));
  });
});

describe("styleMap.getClusters", () => {
  it("summarises the whole map when no viewport is given", async () => {
    const out = await callOk<{ total: number; clusters: Array<{ count: number; label: string }>; unclustered: number; viewport: unknown }>(alice, "styleMap.getClusters", { zoom: 0 });
    expect(out.total).toBe(catalog.length);
    expect(out.clusters.reduce((s, c) => s + c.count, 0) + out.unclustered).toBe(catalog.length);
    expect(out.viewport).not.toBeNull();
  });
});

describe("styleMap.getItemNeighbors", () => {
  it("finds items near in style, each saying why, and the person's ratings move them", async () => {
    const item = catalog.find((p) => p.category === "tops")!;
    const first = await callOk<Neighbours>(bob, "styleMap.getItemNeighbors", { itemId: item.id, limit: 8 });
    expect(first.item.id).toBe(item.id);
    expect(first.neighbors).toHaveLength(8);
    expect(first.neighbors.map((n) => n.id)).not.toContain(item.id);
    for (const n of first.neighbors) expect(n.why).toMatch(/(same|another|close).*(cheaper|pricier|price)/);
    // Disliking the top neighbour sends it down; liking the last one brings it up.
    const top = first.neighbors[0]!.id;
    const last = first.neighbors[7]!.id;
    await callOk(bob, "feedback.rateItem", { itemId: top, rating: -1 });
    await callOk(bob, "feedback.rateItem", { itemId: last, rating: 1 });
    const second = await callOk<Neighbours>(bob, "styleMap.getItemNeighbors", { itemId: item.id, limit: 8 });
    const ids = second.neighbors.map((n) => n.id);
    expect(ids.indexOf(top) === -1 || ids.indexOf(top) > 0).toBe(true);
    expect(ids.indexOf(last)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(last)).toBeLessThan(7);
    expect(second.neighbors.find((n) => n.id === last)!.why).toContain("you liked it");
  });

  it("an unknown item is not_found", async () => {
    const outcome = await callTool(alice, "styleMap.getItemNeighbors", { itemId: "prd_nope" });
    expect(outcome.error?.code).toBe("not_found");
  });
});
