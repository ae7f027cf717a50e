import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test } from "@playwright/test";
import { appUrl, connectorToken, signIn } from "./support";

async function mcpClient(token: string): Promise<Client> {
  const client = new Client({ name: "e2e-chatgpt", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${appUrl()}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  await client.listTools();
  return client;
}

async function call<T>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}

/**
 * The whole deep-link checkout as a user lives it, with no Stripe keys (the embedded default): ChatGPT
 * makes the link through /mcp, the user opens it in a fresh browser, signs in and comes back to it,
 * approves, pays on the local test-payment page, the stand-in's signed webhook settles the order, and
 * ChatGPT's status check and the /orders page both say paid. Someone else opening the link sees nothing.
 */
test("link through /mcp → sign in → approve → test payment → webhook → paid", async ({ browser }) => {
  const login = `buyer-${Date.now()}`;

  // ChatGPT's side: the connector's OAuth flow, then tool calls.
  const chatgpt = await browser.newContext();
  const token = await connectorToken(await chatgpt.newPage(), "catalog:read orders:write profile:write", login);
  await chatgpt.close();
  const client = await mcpClient(token);
  await call(client, "profile.upsertSizes", { sizes: { top: "M" } });
  const found = await call<{ items: Array<{ id: string; sizesAvailable: string[] }> }>(client, "catalog.search", {
    q: "shirt",
    limit: 10,
  });
  const items = found.items.filter((i) => i.sizesAvailable.includes("M")).slice(0, 2);
  expect(items.length).toBe(2);
  const link = await call<{ approvalUrl: string; total: { formatted: string }; status: string }>(client, "checkout.createApprovalLink", {
    itemIds: items.map((i) => i.id),
    notes: "Two shirts for the office",
    idempotencyKey: `e2e-${login}`,
  });
  expect(link.status).toBe("pending_approval");
  expect(link.approvalUrl).toMatch(new RegExp(`^${appUrl()}/approve/[A-Za-z0-9_-]{43}$`));

  // Someone else, signed in, opening the same link sees the same page as for an unknown link.
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(link.approvalUrl);
  await signIn(strangerPage, `stranger-${Date.now()}`, link.approvalUrl);
  await expect(strangerPage.getByRole("heading", { name: "This approval link was not found" })).toBeVisible();
  await expect(strangerPage.getByText("Two shirts for the office")).toHaveCount(0);
  await stranger.close();

  // The user opens the link in their browser: sign in, and back to the same link.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link.approvalUrl);
  await expect(page).toHaveURL(/\/signin\?returnTo=/);
  await signIn(page, login, link.approvalUrl);
  await expect(page.getByRole("heading", { name: "Review and approve your basket" })).toBeVisible();
  await expect(page.getByText("Two shirts for the office")).toBeVisible();
  await expect(page.locator("tfoot")).toContainText(link.total.formatted);
  await page.screenshot({ path: "test-results/approval-page.png", fullPage: true });
  await page.getByRole("button", { name: `Approve and pay ${link.total.formatted}` }).click();

  // The local stand-in for Stripe Checkout, clearly labelled.
  await expect(page).toHaveURL(/\/pay\/test\/cs_test_/);
  await expect(page.getByText("Test payment: no real money moves.")).toBeVisible();
  await expect(page.getByRole("heading", { name: `Pay ${link.total.formatted}` })).toBeVisible();
  await page.getByRole("button", { name: /with a test card/ }).click();

  // Stripe's success redirect lands on the order page, which only reads what the webhook recorded.
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\?checkout=success/);
  await expect(page.getByText("Thank you: your payment is confirmed.")).toBeVisible();

  const status = await call<{ status: string; paidAt: string | null }>(client, "orders.getApprovalStatus", { token: link.approvalUrl });
  expect(status.status).toBe("paid");
  expect(status.paidAt).not.toBeNull();

  await page.getByRole("link", { name: "Orders", exact: true }).click();
  const order = page.locator(".orders li").first();
  await expect(order).toContainText(link.total.formatted);
  await expect(order).toContainText("Paid");
  await page.screenshot({ path: "test-results/orders-page.png", fullPage: true });
  await client.close();
  await context.close();
});
