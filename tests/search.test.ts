import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { findProduct, type ProductRow } from "@/db/repos/catalog";
import { products } from "@/db/schema";
import type { searchOutput } from "@/server/procedures/catalog";
import type { z } from "zod";
import { useTestApp } from "./support/fixture";
import { callOk, callTool } from "./support/mcp";

const fixture = useTestApp();
type Result = z.infer<typeof searchOutput>;
let alice: Client;
let catalog: ProductRow[];
beforeAll(async () => {
  alice = await fixture.app.mcpClient("alice");
  catalog = await fixture.database.db.select().from(products);
});
const search = (args: Record<string, unknown>, client: Client = alice) => callOk<Result>(client, "catalog.search", args);
const rows = async (result: Result) => Promise.all(result.items.map(async (i) => (await findProduct(fixture.database.db, i.id))!));

/** The issue's table: every query now returns items, and the top ones are what the words ask for. */
const TABLE: Array<[string, (p: ProductRow) => boolean]> = [
  ["navy blazer for work", (p) => p.subcategory === "blazers" && p.colors.includes("navy") && p.occasions.includes("work")],
  ["black dress for a wedding", (p) => p.category === "dresses" && p.colors.includes("black") && p.occasions.includes("wedding-guest")],
  ["warm winter coat", (p) => ["coats", "parkas", "trench-coats"].includes(p.subcategory) && p.weather.includes("warm")],
  ["comfortable running shoes", (p) => p.subcategory === "sneakers" && p.occasions.includes("sport")],
  ["smart casual outfit for the office", (p) => p.occasions.includes("work")],
  ["cheap jeans", (p) => p.subcategory === "jeans" && p.brandTier === "value"],
  ["something for a beach holiday", (p) => p.occasions.includes("beach")],
  ["leather boots under 150", (p) => p.subcategory === "boots" && p.materials.some((m) => m.includes("leather")) && p.priceMinor <= 15000],
  // The test catalog (600 items) has no floral midi skirt: the best it has are floral or midi skirts.
  ["floral midi skirt", (p) => p.subcategory === "skirts" && (p.pattern === "floral" || p.length === "midi")],
  ["gift for my boyfriend", (p) => p.department === "men" || p.department === "unisex"],
  ["waterproof jacket", (p) => p.category === "outerwear" && p.weather.includes("waterproof")],
  ["party", (p) => p.occasions.includes("party")],
];

describe("catalog.search understands shoppers", () => {
  it.each(TABLE)("%s: the first results are the relevant ones the catalog has", async (q, relevant) => {
    const result = await search({ q, limit: 5 });
    expect(result.items).toHaveLength(5);
    const available = catalog.filter((p) => relevant(p)).length;
    expect(available).toBeGreaterThan(0);
    const products = (await rows(result)).slice(0, Math.min(5, available));
    expect(products.filter(relevant).map((p) => p.title)).toEqual(products.map((p) => p.title));
    expect(result.items.every((i) => i.why.length > 0)).toBe(true);
  });

  it("the site door (tRPC) gives the same answer", async () => {
    const token = await fixture.app.idp.tokenFor("alice", { scopes: ["catalog:read"] });
    const input = { q: "black dress for a wedding", limit: 5 };
    const response = await fetch(`${fixture.app.url}/api/trpc/catalog.search?input=${encodeURIComponent(JSON.stringify(input))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { result: { data: Result } };
    const viaMcp = await search(input);
    expect(body.result.data.items.map((i) => i.id)).toEqual(viaMcp.items.map((i) => i.id));
    expect(body.result.data.query.occasions).toEqual(["wedding-guest"]);
  });

  it("says how it understood the words", async () => {
    const { query } = await search({ q: "black dress for a wedding under 200 not silk, size M", limit: 3 });
    expect(query).toMatchObject({
      terms: ["black", "dress"],
      occasions: ["wedding-guest"],
      maxPrice: 200,
      minPrice: null,
      sizes: ["M"],
      excluded: ["silk"],
      ignored: expect.arrayContaining(["for", "a"]),
      corrections: [],
    });
    expect(query.understood).toContain("occasion: wedding-guest");
  });

  it("hard constraints hold: price, department, size, exclusions", async () => {
    const result = await search({ q: "jackets for men under 100 in M not black", limit: 20 });
    expect(result.items.length).toBeGreaterThan(0);
    for (const p of await rows(result)) {
      expect(["men", "unisex"]).toContain(p.department);
      expect(p.priceMinor).toBeLessThanOrEqual(10000);
      expect(p.sizesInStock).toContain("M");
      expect(p.colors).not.toContain("black");
    }
  });

  it("items matching every word come first, then items matching most of them (never nothing)", async () => {
    const result = await search({ q: "lavender houndstooth velvet blazer", limit: 50 });
    expect(result.items.length).toBeGreaterThan(0);
    const products = await rows(result);
    const matchedCount = (p: ProductRow) =>
      [p.colors.includes("lavender"), p.pattern === "houndstooth", p.materials.includes("velvet"), p.subcategory === "blazers"].filter(Boolean).length;
    const best = Math.max(...catalog.filter((p) => p.subcategory === "blazers").map(matchedCount));
    expect(matchedCount(products[0]!)).toBe(best);
    expect(products[0]!.subcategory).toBe("blazers");
    // Never empty for a query with a meaningful word, even one nobody has all of.
    expect((await search({ q: "zzqxv blazer", limit: 3 })).items).toHaveLength(3);
    expect((await search({ q: "zzqxv blazer", limit: 3 })).query.unmatched).toEqual(["zzqxv"]);
  });

  it("pages with a cursor: no repeats, no gaps, and a cursor only fits its own search", async () => {
    const all = await search({ q: "linen shirt", limit: 30 });
    const first = await search({ q: "linen shirt", limit: 10 });
    const second = await search({ q: "linen shirt", limit: 10, cursor: first.nextCursor });
    const third = await search({ q: "linen shirt", limit: 10, cursor: second.nextCursor });
    expect([...first.items, ...second.items, ...third.items].map((i) => i.id)).toEqual(all.items.map((i) => i.id));
    expect(first.total).toBe(all.total);

    const wrong = await callTool(alice, "catalog.search", { q: "wool coat", limit: 10, cursor: first.nextCursor });
    expect(wrong.error).toMatchObject({ code: "validation", issues: [{ field: "cursor" }] });
    const garbage = await callTool(alice, "catalog.search", { q: "linen shirt", limit: 10, cursor: "not-a-cursor" });
    expect(garbage.error).toMatchObject({ code: "validation", issues: [{ field: "cursor" }] });
  });

  it("counts facets for the site", async () => {
    const result = await search({ q: "dress", limit: 5, facets: true });
    expect(result.facets!.department[0]).toEqual({ value: "women", count: expect.any(Number) });
    expect(result.facets!.category.map((f) => f.value)).toContain("dresses");
    expect(result.facets!.priceBand.reduce((sum, b) => sum + b.count, 0)).toBe(result.total);
    const filtered = await search({ q: "dress", limit: 50, filters: { color: ["red"], department: ["women"] } });
    expect(filtered.items.length).toBeGreaterThan(0);
    expect(filtered.items.every((i) => i.colors.includes("red") && i.department === "women")).toBe(true);
  });

  it("a price or stock change is searchable on the next request", async () => {
    const { items } = await search({ q: "cashmere scarf", limit: 1 });
    const id = items[0]!.id;
    await fixture.database.db.execute(sql`update products set sizes_in_stock = '{}', price_minor = 1, title = 'Renamed Cashmere Scarf' where id = ${id}`);
    const cheap = await search({ q: "cashmere scarf", limit: 5, filters: { maxPrice: 0.01 } });
    expect(cheap.items.map((i) => i.id)).toEqual([id]);
    // The card (served from the index) shows the product as it is now.
    expect(cheap.items[0]!.sizesAvailable).toEqual([]);
    expect(cheap.items[0]!.title).toBe("Renamed Cashmere Scarf");
    expect(cheap.items[0]!.price.amountMinor).toBe(1);
  });
});

describe("personal ranking", () => {
  it("liked items' neighbours move up, disliked items and their near-duplicates drop", async () => {
    const bob = await fixture.app.mcpClient("bob");
    const q = { q: "sweater", limit: 40 };
    const before = await search(q, bob);
    const ids = before.items.map((i) => i.id);
    const disliked = ids[0]!;
    const liked = ids[ids.length - 1]!;
    await callOk(bob, "feedback.rateItem", { itemId: disliked, rating: -1 });
    await callOk(bob, "feedback.rateItem", { itemId: liked, rating: 1 });
    const after = await search(q, bob);
    const afterIds = after.items.map((i) => i.id);
    expect(afterIds.indexOf(disliked) === -1 || afterIds.indexOf(disliked) > ids.indexOf(disliked)).toBe(true);
    expect(afterIds.indexOf(liked)).toBeLessThan(ids.indexOf(liked));
    expect(after.items.find((i) => i.id === liked)?.why).toContain("like items you liked");
    // Someone else's ratings change nothing for alice.
    expect((await search(q)).items.map((i) => i.id)).toEqual(ids);
  });

  it("items in the user's sizes come first, and say so", async () => {
    const carol = await fixture.app.mcpClient("carol");
    await callOk(carol, "profile.upsertSizes", { sizes: { top: "XXS" } });
    await callOk(carol, "profile.upsertBudgetAndGoals", { monthlyBudget: 300, goals: ["work"], styleTags: ["minimalist"] });
    const result = await search({ q: "hoodie", limit: 10 }, carol);
    const products = await rows(result);
    const fits = products.map((p) => p.sizesInStock.includes("XXS"));
    expect(fits[0]).toBe(true);
    // Every item in the size before any item out of it.
    expect(fits.slice(fits.indexOf(false) === -1 ? fits.length : fits.indexOf(false))).not.toContain(true);
    expect(result.items[0]!.why).toContain("in your size XXS");
  });
});
