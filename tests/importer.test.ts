import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { countProducts, catalogLoaded, upsertProducts } from "@/db/repos/catalog";
import { parseMerchantFeed } from "@/db/seed/merchant-feed";
import { searchCatalog } from "@/server/procedures/catalog";
import { runProcedure } from "@/server/run-procedure";
import { useTestDatabase, userContext } from "./support/fixture";

const fixture = useTestDatabase();

const ctx = () => userContext(fixture.database.db, "shopper");

async function importFixture() {
  const feed = parseMerchantFeed(readFileSync(path.join(process.cwd(), "tests", "fixtures", "merchant-feed.xml"), "utf8"));
  await upsertProducts(fixture.database.db, feed.products);
  await catalogLoaded(fixture.database.db);
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
    const before = await countProducts(fixture.database.db);
    await importFixture();
    expect(await countProducts(fixture.database.db)).toBe(before);
  });
});
