import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test, type Frame, type Page } from "@playwright/test";
import { machineToken } from "./support";

/**
 * The catalog.search carousel as a host renders it: the widget HTML read through resources/read, a real
 * search result from /mcp, and a page that plays the host, once over the MCP Apps postMessage bridge
 * (the widget in a sandboxed iframe) and once as ChatGPT's `window.openai`.
 */
const appUrl = () => process.env.E2E_APP_URL!;

interface SearchResult {
  structuredContent: { items: Array<{ id: string; title: string; pageUrl: string; price: { formatted: string } }> };
  _meta?: Record<string, unknown>;
  content: unknown[];
}

async function searchAndWidget(): Promise<{ result: SearchResult; html: string }> {
  const client = new Client({ name: "e2e-host", version: "1.0.0" });
  const token = await machineToken("alice", "catalog:read");
  await client.connect(new StreamableHTTPClientTransport(new URL(`${appUrl()}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  const { tools } = await client.listTools();
  const template = (tools.find((t) => t.name === "catalog.search")?._meta as { ui: { resourceUri: string } }).ui.resourceUri;
  const result = (await client.callTool({ name: "catalog.search", arguments: { q: "dress", limit: 6 } })) as unknown as SearchResult;
  const { contents } = await client.readResource({ uri: template });
  await client.close();
  return { result, html: (contents[0] as { text: string }).text };
}

async function expectCarousel(frame: Frame | Page, result: SearchResult) {
  const cards = frame.locator(".carousel .product-card");
  await expect(cards).toHaveCount(result.structuredContent.items.length);
  const first = result.structuredContent.items[0]!;
  await expect(cards.first().getByRole("heading", { name: first.title })).toBeVisible();
  await expect(cards.first()).toContainText(first.price.formatted);
  await expect(cards.first()).toContainText("Sizes:");
  // The pictures come from our own origin and actually load.
  await expect
    .poll(() => cards.first().locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
    .toBe(true);
}

test("the carousel renders in an MCP Apps host and opens items on our site", async ({ page }) => {
  const { result, html } = await searchAndWidget();
  expect(result.structuredContent.items.length).toBeGreaterThan(1);
  await page.setContent(`<!doctype html><html><body><h1>Host</h1><iframe id="widget" sandbox="allow-scripts" style="width:900px;height:420px;border:0"></iframe></body></html>`);
  await page.evaluate(
    ({ html, result }) => {
      const host = window as unknown as { opened: string[]; handshake: string[] };
      host.opened = [];
      host.handshake = [];
      const iframe = document.getElementById("widget") as HTMLIFrameElement;
      window.addEventListener("message", (event) => {
        if (event.source !== iframe.contentWindow) return;
        const message = event.data as { id?: number; method?: string; params?: { url?: string } };
        const reply = (payload: unknown) => iframe.contentWindow!.postMessage({ jsonrpc: "2.0", id: message.id, result: payload }, "*");
        host.handshake.push(message.method ?? "response");
        if (message.method === "ui/initialize") {
          reply({ protocolVersion: "2026-01-26", hostInfo: { name: "test-host", version: "1" }, hostCapabilities: { openLinks: {} }, hostContext: { theme: "light" } });
        } else if (message.method === "ui/notifications/initialized") {
          iframe.contentWindow!.postMessage({ jsonrpc: "2.0", method: "ui/notifications/tool-result", params: result }, "*");
        } else if (message.method === "ui/open-link") {
          host.opened.push(message.params?.url ?? "");
          reply({});
        }
      });
      iframe.srcdoc = html;
    },
    { html, result },
  );
  const frame = page.frameLocator("#widget");
  const widgetFrame = page.frames().find((f) => f !== page.mainFrame())!;
  await expectCarousel(widgetFrame, result);
  expect(await page.evaluate(() => (window as unknown as { handshake: string[] }).handshake)).toEqual(
    expect.arrayContaining(["ui/initialize", "ui/notifications/initialized"]),
  );
  await page.screenshot({ path: "test-results/widget-carousel-mcp-apps.png" });

  const first = result.structuredContent.items[0]!;
  await frame.getByRole("link", { name: `View ${first.title} on Stylist` }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { opened: string[] }).opened)).toEqual([first.pageUrl]);
  expect(first.pageUrl).toBe(`${appUrl()}/catalog/${first.id}`);
});

test("the carousel renders from window.openai, as ChatGPT provides it", async ({ page }) => {
  const { result, html } = await searchAndWidget();
  await page.addInitScript((result) => {
    const opened: string[] = [];
    (window as unknown as Record<string, unknown>).opened = opened;
    (window as unknown as Record<string, unknown>).openai = {
      toolOutput: result.structuredContent,
      toolResponseMetadata: result._meta ?? null,
      openExternal: ({ href }: { href: string }) => opened.push(href),
    };
  }, result);
  // The host's sandbox origin is played by a path the app does not serve, fulfilled by the test: Chromium's
  // local-network rules would block a made-up origin from loading images off the loopback app.
  const widgetUrl = `${appUrl()}/__host-sandbox/widget.html`;
  await page.route(widgetUrl, (route) => route.fulfill({ contentType: "text/html", body: html }));
  await page.goto(widgetUrl);
  await expectCarousel(page, result);
  await page.screenshot({ path: "test-results/widget-carousel-openai.png" });
  const last = result.structuredContent.items.at(-1)!;
  await page.getByRole("link", { name: `View ${last.title} on Stylist` }).click();
  expect(await page.evaluate(() => (window as unknown as { opened: string[] }).opened)).toEqual([last.pageUrl]);
});

test("an item's page on the site shows what the carousel linked to", async ({ page }) => {
  const { result } = await searchAndWidget();
  const first = result.structuredContent.items[0]!;
  await page.goto(`${appUrl()}/signin`);
  await page.getByRole("link", { name: "Continue to sign in" }).click();
  await page.locator('input[name="login"]').fill("widget-visitor");
  await page.locator('input[name="password"]').fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.waitForURL(`${appUrl()}/profile`);
  const response = await page.goto(first.pageUrl);
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  await expect(page.getByRole("heading", { level: 1, name: first.title })).toBeVisible();
  await expect(page.getByText(first.price.formatted).first()).toBeVisible();
});
