import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { listAuditEventsForUser } from "@/db/repos/audit";
import type { ProductSummary } from "@/server/procedures/catalog";
import { useTestApp } from "./support/fixture";
import { callOk, callTool } from "./support/mcp";

const fixture = useTestApp();
let alice: Client;
beforeAll(async () => {
  alice = await fixture.app.mcpClient("alice");
});

type SearchResult = { items: ProductSummary[]; query: { terms: string[] } };
const search = (args: Record<string, unknown>, client: Client = alice) => callOk<SearchResult>(client, "catalog.search", args);

describe("catalog.search", () => {
  it("finds jackets by name, with what a shopper decides with", async () => {
    const { items } = await search({ q: "jacket", limit: 5 });
    expect(items.length).toBe(5);
    for (const item of items) {
      expect(item.title.toLowerCase()).toContain("jacket");
      expect(item.brand).toBeTruthy();
      expect(item.price.currency).toBe("USD");
      expect(item.price.formatted).toMatch(/^\$\d/);
      expect(item.imageUrl).toBe(`${fixture.app.url}/images/products/${item.id}.svg`);
      expect(item.sizesAvailable.length).toBeGreaterThan(0);
    }
  });

  it.each(["t-shirt", "tee", "tshirt", "T Shirts"])("%s finds t-shirts", async (q) => {
    const { items } = await search({ q, limit: 5 });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => /t-shirt/i.test(i.title))).toBe(true);
  });

  it("tolerates typos: jakcet finds jackets and says what it searched", async () => {
    const { items, query } = await search({ q: "jakcet", limit: 5 });
    expect(query.terms).toEqual(["jacket"]);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => /jacket/i.test(i.title))).toBe(true);
  });

  it("ranks items matching every word and keeps a stable order", async () => {
    const first = await search({ q: "wool coat", limit: 10 });
    expect(first.items.length).toBeGreaterThan(0);
    expect(first.items.every((i) => /coat/i.test(i.title))).toBe(true);
    const again = await search({ q: "wool coat", limit: 10 });
    expect(again.items.map((i) => i.id)).toEqual(first.items.map((i) => i.id));
  });

  it("filters by category, brand and price range (USD, major units)", async () => {
    const { items } = await search({ filters: { category: ["shoes"], minPrice: 50, maxPrice: 200 }, limit: 50 });
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.category).toBe("shoes");
      expect(item.price.amountMinor).toBeGreaterThanOrEqual(5000);
      expect(item.price.amountMinor).toBeLessThanOrEqual(20000);
    }
    const brand = items[0]!.brand;
    const byBrand = await search({ filters: { brand: [brand.toUpperCase()] }, limit: 20 });
    expect(byBrand.items.length).toBeGreaterThan(0);
    expect(byBrand.items.every((i) => i.brand === brand)).toBe(true);
  });

  it("a subcategory works as a category filter", async () => {
    const { items } = await search({ filters: { category: ["sneakers"] }, limit: 10 });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.subcategory === "sneakers")).toBe(true);
  });

  it("a search that matches nothing is an empty list in the same shape", async () => {
    const result = await search({ q: "zzqxv", limit: 5 });
    expect(result.items).toEqual([]);
    const filtered = await search({ q: "jacket", filters: { maxPrice: 0 }, limit: 5 });
    expect(filtered.items).toEqual([]);
  });

  it("never returns more than the limit", async () => {
    expect((await search({ limit: 3 })).items.length).toBe(3);
  });

  it.each([
    ["limit 10^9", { limit: 1_000_000_000 }, "limit"],
    ["a 10 MB query", { q: "x".repeat(10 * 1024 * 1024), limit: 5 }, null],
    ["a 201-character query", { q: "x".repeat(201), limit: 5 }, "q"],
    ["minPrice above maxPrice", { filters: { minPrice: 100, maxPrice: 10 }, limit: 5 }, "filters.minPrice"],
    ["a category that is not a list", { filters: { category: "shoes" }, limit: 5 }, "filters.category"],
  ])("refuses %s cleanly", async (_label, args, field) => {
    if (field === null) {
      // Larger than the endpoint accepts at all: refused before parsing, with a JSON-RPC error.
      await expect(alice.callTool({ name: "catalog.search", arguments: args })).rejects.toThrow(/too large|413/i);
      return;
    }
    const outcome = await callTool(alice, "catalog.search", args);
    expect(outcome.error?.code).toBe("validation");
    expect(outcome.error?.issues?.map((i) => i.field)).toContain(field);
  });
});

describe("catalog.getItem", () => {
  it("returns the full item", async () => {
    const { items } = await search({ q: "boots", limit: 1 });
    const item = await callOk<Record<string, unknown>>(alice, "catalog.getItem", { itemId: items[0]!.id });
    expect(item).toMatchObject({ id: items[0]!.id, title: items[0]!.title, yourRating: null });
    expect(item.description).toEqual(expect.stringContaining("boots"));
    expect(item.stylePosition).toEqual({ x: expect.any(Number), y: expect.any(Number) });
  });

  it("an unknown id is not_found", async () => {
    const outcome = await callTool(alice, "catalog.getItem", { itemId: "prd_nope" });
    expect(outcome.error?.code).toBe("not_found");
    expect(outcome.error?.message).toContain("prd_nope");
  });
});

describe("feedback.rateItem", () => {
  it("keeps one rating per user and item: the latest wins", async () => {
    const client = await fixture.app.mcpClient("bob");
    const { items } = await search({ q: "dress", limit: 1 }, client);
    const itemId = items[0]!.id;
    await callOk(client, "feedback.rateItem", { itemId, rating: 1 });
    await callOk(client, "feedback.rateItem", { itemId, rating: -1 });
    const item = await callOk<{ yourRating: number }>(client, "catalog.getItem", { itemId });
    expect(item.yourRating).toBe(-1);
    const events = (await listAuditEventsForUser(fixture.database.db, "bob")).filter((e) => e.eventType === "feedback.rated");
    expect(events.map((e) => e.payload)).toEqual([{ rating: -1 }, { rating: 1 }]);
  });

  it("another user's rating is invisible", async () => {
    const bob = await fixture.app.mcpClient("bob");
    const carol = await fixture.app.mcpClient("carol");
    const { items } = await search({ q: "scarf", limit: 1 }, bob);
    await callOk(bob, "feedback.rateItem", { itemId: items[0]!.id, rating: 1 });
    const seenByCarol = await callOk<{ yourRating: number | null }>(carol, "catalog.getItem", { itemId: items[0]!.id });
    expect(seenByCarol.yourRating).toBeNull();
  });

  it("refuses a rating outside -1, 0, 1 and an unknown item, changing nothing", async () => {
    const client = await fixture.app.mcpClient("dave");
    const bad = await callTool(client, "feedback.rateItem", { itemId: "prd_000001", rating: 5 });
    expect(bad.error?.code).toBe("validation");
    expect(bad.error?.issues?.[0]?.field).toBe("rating");
    const unknown = await callTool(client, "feedback.rateItem", { itemId: "prd_missing", rating: 1 });
    expect(unknown.error?.code).toBe("not_found");
    expect(await listAuditEventsForUser(fixture.database.db, "dave")).toEqual([]);
  });
});
