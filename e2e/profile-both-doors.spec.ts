import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test } from "@playwright/test";

import { appUrl, connectorToken, issuer, signIn } from "./support";

test("a profile edited on the site is the profile ChatGPT reads through /mcp", async ({ page }) => {
  const login = `shopper-${Date.now()}`;
  await signIn(page, login);
  await expect(page.getByRole("heading", { name: "Your style profile" })).toBeVisible();
  await expect(page.getByText(`Signed in as ${login}`)).toBeVisible();

  await page.getByLabel("Monthly budget (USD)").fill("320");
  await page.getByLabel("Goals (one per line)").fill("Build a capsule for work");
  await page.getByLabel("Style tags (comma separated)").fill("minimalist");
  await page.getByRole("button", { name: "+ classic" }).click();
  await page.getByRole("button", { name: "Save budget and style" }).click();
  await expect(page.locator("form", { has: page.getByRole("heading", { name: "Budget and style" }) }).getByRole("status")).toHaveText("Saved");

  await page.getByLabel("Top size").fill("M");
  await page.getByLabel("Shoe size").fill("EU 39");
  await page.getByRole("button", { name: "Save sizes" }).click();
  await expect(page.locator("form", { has: page.getByRole("heading", { name: "Sizes" }) }).getByRole("status")).toHaveText("Saved");

  await page.getByLabel("Address line 1").fill("10 Market St");
  await page.getByLabel("City").fill("San Francisco");
  await page.getByLabel("State or region").fill("CA");
  await page.getByLabel("Postal code").fill("94105");
  await page.getByLabel("Country (two-letter code, e.g. US)").fill("France");
  await page.getByRole("button", { name: "Save address" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "two-letter" })).toBeVisible();
  await page.getByLabel("Country (two-letter code, e.g. US)").fill("us");
  await page.getByRole("button", { name: "Save address" }).click();
  await expect(page.locator("form", { has: page.getByRole("heading", { name: "Shipping address" }) }).getByRole("status")).toHaveText("Saved");

  await page.reload();
  await expect(page.getByLabel("Monthly budget (USD)")).toHaveValue("320");
  await expect(page.getByLabel("Style tags (comma separated)")).toHaveValue("minimalist, classic");

  const token = await connectorToken(page, "profile:read catalog:read");
  const client = new Client({ name: "e2e-chatgpt", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${appUrl()}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  const result = await client.callTool({ name: "profile.get", arguments: {} });
  expect(result.isError).toBeFalsy();
  expect(result.structuredContent).toMatchObject({
    monthlyBudget: { amountMinor: 32000, currency: "USD", formatted: "$320.00" },
    goals: ["Build a capsule for work"],
    styleTags: ["minimalist", "classic"],
    sizes: { top: "M", shoe: "EU 39" },
    address: { line1: "10 Market St", city: "San Francisco", state: "CA", postalCode: "94105", country: "US" },
  });

  // The token carries only what was granted: writing the profile needs profile:write.
  const refused = await client.callTool({
    name: "profile.upsertSizes",
    arguments: { sizes: { top: "L" } },
  });
  expect(refused.isError).toBe(true);
  expect(refused.structuredContent).toBeUndefined();
  const [, json] = refused.content as Array<{ type: "text"; text: string }>;
  expect((JSON.parse(json!.text) as { error: { code: string } }).error.code).toBe("insufficient_scope");
  await client.close();
});

test("the catalog page searches with typo tolerance and shows prices and pictures", async ({ page }) => {
  await signIn(page, `browser-${Date.now()}`);
  await page.getByRole("link", { name: "Catalog" }).click();
  await page.getByRole("searchbox", { name: "Search the catalog" }).fill("jakcet");
  const cards = page.locator(".product-card");
  await expect(cards.first()).toContainText(/Jacket/);
  await expect(cards.first()).toContainText(/\$\d/);
  const src = await cards.first().locator("img").getAttribute("src");
  const image = await page.request.get(src!);
  expect(image.headers()["content-type"]).toContain("image/svg+xml");
  await page.screenshot({ path: "test-results/catalog.png", fullPage: false });
});

test("signed-out visitors are sent to sign in, and /mcp without a token gets the OAuth challenge", async ({ page, request }) => {
  await page.goto(`${appUrl()}/profile`);
  await expect(page).toHaveURL(`${appUrl()}/signin`);
  const response = await request.post(`${appUrl()}/mcp`, { data: {} });
  expect(response.status()).toBe(401);
  expect(response.headers()["www-authenticate"]).toContain(
    `resource_metadata="${appUrl()}/.well-known/oauth-protected-resource/mcp"`,
  );
  const metadata = await (await request.get(`${appUrl()}/.well-known/oauth-protected-resource/mcp`)).json();
  expect(metadata).toMatchObject({ resource: `${appUrl()}/mcp`, authorization_servers: [issuer()] });
});
