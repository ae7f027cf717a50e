import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test } from "@playwright/test";
import { appUrl, connectorToken, signIn } from "./support";

/** A capsule planned through /mcp, as ChatGPT asks for it, is on the site's /plans page with its pictures and totals. */
test("generate a capsule through /mcp, then see it on /plans", async ({ browser }) => {
  const login = `planner-${Date.now()}`;
  const chatgpt = await browser.newContext();
  const token = await connectorToken(await chatgpt.newPage(), "plans:write catalog:read profile:write", login);
  await chatgpt.close();
  const client = new Client({ name: "e2e-chatgpt", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${appUrl()}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  await client.listTools();
  await client.callTool({ name: "profile.upsertBudgetAndGoals", arguments: { monthlyBudget: 500, goals: ["work wardrobe"], styleTags: ["classic"] } });
  const result = await client.callTool({ name: "plan.generateCapsule", arguments: { month: "2026-04", outfitCount: 4 } });
  expect(result.isError).toBeFalsy();
  const plan = result.structuredContent as { planId: string; total: { formatted: string }; outfits: Array<{ name: string; items: Array<{ title: string }> }> };
  expect(plan.outfits).toHaveLength(4);
  await client.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${appUrl()}/plans`);
  await signIn(page, login, `${appUrl()}/plans`);
  await page.getByRole("link", { name: /Capsule for 2026-04: 4 outfits/ }).click();
  await expect(page).toHaveURL(`${appUrl()}/plans/${plan.planId}`);
  for (const outfit of plan.outfits) await expect(page.getByRole("heading", { name: outfit.name, exact: true })).toBeVisible();
  await expect(page.locator("tfoot")).toContainText(plan.total.formatted);
  const firstImage = page.locator(".outfit-pieces img").first();
  await expect(firstImage).toBeVisible();
  expect(await firstImage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.screenshot({ path: "test-results/plan-page.png", fullPage: true });
  await context.close();
});
