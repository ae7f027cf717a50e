import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { countProducts, rebuildSearchTerms, upsertProducts } from "@/db/repos/catalog";
import { parseMerchantFeed } from "@/db/seed/merchant-feed";
import { SCOPES } from "@/server/auth/scopes";
import type { Context } from "@/server/context";
import { silentLogger } from "@/server/logger";
import { searchCatalog } from "@/server/procedures/catalog";
import { runProcedure } from "@/server/run-procedure";
import { openTestDatabase } from "./support/db";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const ctx = (): Context => ({
  actor: { kind: "user", userId: "shopper", scopes: new Set(SCOPES), via: "mcp" },
  db: database.db,
  log: silentLogger,
  requestId: randomUUID(),
  now: () => new Date(),
  appBaseUrl: "http://localhost:3000",
});

async function importFixture() {
  const feed = parseMerchantFeed(readFileSync(path.join(process.cwd(), "tests", "fixtures", "merchant-feed.xml"), "utf8"));
  await upsertProducts(database.db, feed.products);
  await rebuildSearchTerms(database.db);
}

describe("importing a retailer's feed", () => {
  it("makes its products searchable beside the generated ones, with the retailer's image", async () => {
    await importFixture();
    const { items } = await runProcedure(searchCatalog, ctx(), { q: "waxed field jacket", limit: 5 });
    expect(items[0]).toMatchObject({
      id: "prd_f_hs-1001",
      brand: "Harbor Street",
      imageUrl: "https://shop.example/img/hs-1001.jpg",
      sizesAvailable: ["M", "L"],
      price: { amountMinor: 18900, currency: "USD" },
    });
  });

  it("importing the same feed again updates in place instead of duplicating", async () => {
    await importFixture();
    const before = await countProducts(database.db);
    await importFixture();
    expect(await countProducts(database.db)).toBe(before);
  });
});
