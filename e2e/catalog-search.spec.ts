import { expect, test } from "@playwright/test";
import { signIn } from "./support";

/** The site's catalog understands the words the way the assistant does, and narrows by facet counts. */
test("the catalog page says how it understood the words, narrows by facets and pages", async ({ page }) => {
  await signIn(page, `catalog-${Date.now()}`);
  await page.getByRole("link", { name: "Catalog" }).click();
  await page.getByRole("searchbox", { name: "Search the catalog" }).fill("black dress for a wedding under 300");
  const status = page.locator(".understood");
  await expect(status).toContainText("occasion: wedding-guest");
  await expect(status).toContainText("at most $300");
  const cards = page.locator(".product-grid > li");
  await expect(cards.first()).toContainText(/Dress|Gown/);
  await expect(cards.first().locator(".why")).toContainText("matched: black dress wedding");

  // A facet narrows the results and its count is what comes back.
  const women = page.getByRole("checkbox", { name: /^women \d/ });
  const count = Number((await page.locator("label", { hasText: /^women / }).locator(".count").innerText()).replace(/,/g, ""));
  expect(count).toBeGreaterThan(0);
  await women.check();
  await expect(status).toContainText(`${count.toLocaleString("en-US")} item`);
  await page.screenshot({ path: "test-results/catalog-search.png", fullPage: false });

  await page.getByRole("searchbox", { name: "Search the catalog" }).fill("dress");
  await page.getByRole("checkbox", { name: /^women \d/ }).uncheck();
  // Wait for this search's own results (the input is debounced) before asking for more of them.
  await expect(page.locator(".understood-query")).toHaveText("dress");
  await expect(page.getByRole("checkbox", { name: /^women \d/ })).not.toBeChecked();
  await expect(page.locator("ul.product-grid[aria-busy=false]")).toBeVisible();
  await expect(cards).toHaveCount(24);
  await page.getByRole("button", { name: "Show more" }).click();
  await expect(cards).toHaveCount(48);
});
