import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test, type FrameLocator, type Page } from "@playwright/test";
import { appUrl, machineToken, signIn } from "./support";

/**
 * The style map: on the site (/map, react-leaflet through tRPC) and as the ChatGPT widget in a page
 * that plays the host, over the MCP Apps bridge and as `window.openai`; the host forwards the widget's
 * tool calls to the real /mcp.
 */
async function mcpClient(): Promise<Client> {
  const client = new Client({ name: "e2e-host", version: "1.0.0" });
  const token = await machineToken("alice", "stylemap:read catalog:read feedback:write");
  await client.connect(new StreamableHTTPClientTransport(new URL(`${appUrl()}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  await client.listTools(); // as hosts do: the client then checks results against each outputSchema
  return client;
}

async function mapAndWidget(client: Client) {
  const { tools } = await client.listTools();
  const tool = tools.find((t) => t.name === "styleMap.getViewportItems")!;
  const template = (tool._meta as { ui: { resourceUri: string } }).ui.resourceUri;
  expect((tool._meta as Record<string, unknown>)["openai/outputTemplate"]).toBe(template);
  const result = await client.callTool({ name: "styleMap.getViewportItems", arguments: { viewport: { xmin: -150, xmax: 150, ymin: -150, ymax: 150 }, zoom: 0 } });
  const { contents } = await client.readResource({ uri: template });
  return { result, html: (contents[0] as { text: string }).text };
}

/**
 * The first marker of a kind that lies inside the map's visible area (the answer covers whole cells, so
 * some markers sit just outside the canvas, clipped).
 */
async function visibleMarker(scope: Page | FrameLocator, selector: string) {
  const canvas = (await scope.locator(".style-map-canvas").boundingBox())!;
  const markers = scope.locator(selector);
  for (let i = 0; i < (await markers.count()); i++) {
    const box = await markers.nth(i).boundingBox();
    if (!box) continue;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    if (cx > canvas.x + 20 && cx < canvas.x + canvas.width - 20 && cy > canvas.y + 20 && cy < canvas.y + canvas.height - 20) return markers.nth(i);
  }
  return null;
}

/** Clicks a visible cluster until single items show (a click zooms to the cluster's bounds). */
async function zoomUntilItems(scope: Page | FrameLocator) {
  for (let i = 0; i < 12; i++) {
    if (await visibleMarker(scope, ".sm-item")) return;
    const cluster = await visibleMarker(scope, ".sm-cluster");
    if (!cluster) break;
    await cluster.click();
    await scope.locator(".leaflet-container").evaluate((el) => new Promise((done) => setTimeout(done, 700, el)));
  }
  expect(await visibleMarker(scope, ".sm-item")).not.toBeNull();
}

test("/map: zoom into a cluster, open an item, rate it and see it marked, ask for similar styles", async ({ page }) => {
  await signIn(page, `map-${Date.now()}`);
  await page.getByRole("link", { name: "Style map" }).click();
  await expect(page.getByRole("heading", { name: "Style map" })).toBeVisible();
  await expect(page.locator(".sm-cluster").first()).toBeVisible();
  await expect(page.locator(".sm-landmark", { hasText: "classic" })).toBeVisible();
  await expect(page.locator(".sm-axis-right")).toContainText("classic");
  // A cluster says what it holds (its representative piece, label and price range) when hovered.
  await (await visibleMarker(page, ".sm-cluster"))!.hover();
  await expect(page.locator(".sm-cluster-tip")).toContainText(/items/);
  await expect(page.locator(".sm-cluster-tip img")).toHaveAttribute("src", /\/images\/products\//);
  await page.screenshot({ path: "test-results/style-map-site.png" });
  await zoomUntilItems(page);
  await expect.poll(() => Number(new URL(page.url()).searchParams.get("z"))).toBeGreaterThan(0);

  await (await visibleMarker(page, ".sm-item"))!.click();
  const panel = page.locator("section.sm-panel");
  await expect(panel).toBeVisible();
  await panel.getByRole("button", { name: "Like", exact: true }).click();
  await expect(panel.getByRole("button", { name: "Liked", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator(".sm-item.sm-liked")).toHaveCount(1);
  await expect(page.locator(".style-map-taste")).toContainText("You tend to like");
  await panel.getByRole("button", { name: "Similar styles" }).click();
  await expect(panel.locator(".sm-neighbours li").first()).toContainText(/cheaper|pricier|price/);
  await page.screenshot({ path: "test-results/style-map-site-item.png" });

  // The URL carries the view and the filters: reopening it shows the same place, filtered.
  const shared = new URL(page.url());
  shared.searchParams.set("category", "shoes");
  await page.goto(shared.toString());
  await expect(page.getByLabel("Category")).toHaveValue("shoes");
  await expect(page.locator(".sm-cluster, .sm-item").first()).toBeVisible();
});

test("the widget in an MCP Apps host: markers appear, a zoom calls the tool, a rating is sent", async ({ page }) => {
  const client = await mcpClient();
  const { result, html } = await mapAndWidget(client);
  const calls: string[] = [];
  await page.exposeFunction("forwardTool", async (name: string, args: Record<string, unknown>) => {
    calls.push(`${name} ${JSON.stringify(args)}`);
    return client.callTool({ name, arguments: args });
  });
  await page.setContent(`<!doctype html><html><body><iframe id="widget" sandbox="allow-scripts" style="width:760px;height:640px;border:0"></iframe></body></html>`);
  await page.evaluate(
    ({ html, result }) => {
      const iframe = document.getElementById("widget") as HTMLIFrameElement;
      window.addEventListener("message", async (event) => {
        if (event.source !== iframe.contentWindow) return;
        const message = event.data as { id?: number; method?: string; params?: { name?: string; arguments?: Record<string, unknown> } };
        const reply = (payload: unknown) => iframe.contentWindow!.postMessage({ jsonrpc: "2.0", id: message.id, result: payload }, "*");
        if (message.method === "ui/initialize") reply({ protocolVersion: "2026-01-26", hostInfo: { name: "test-host", version: "1" }, hostCapabilities: {}, hostContext: {} });
        else if (message.method === "ui/notifications/initialized") iframe.contentWindow!.postMessage({ jsonrpc: "2.0", method: "ui/notifications/tool-result", params: result }, "*");
        else if (message.method === "tools/call") {
          const w = window as unknown as { forwardTool: (n: string, a: unknown) => Promise<unknown> };
          reply(await w.forwardTool(message.params!.name!, message.params!.arguments ?? {}));
        }
      });
      iframe.srcdoc = html;
    },
    { html, result },
  );
  const frame = page.frameLocator("#widget");
  await expect(frame.locator(".sm-cluster").first()).toBeVisible();
  // Its first render came from the tool result: no call was needed for it.
  expect(calls.filter((c) => c.startsWith("styleMap.getViewportItems"))).toEqual([]);
  await page.screenshot({ path: "test-results/style-map-widget-mcp-apps.png" });
  await zoomUntilItems(frame);
  expect(calls.some((c) => c.startsWith("styleMap.getViewportItems") && !c.includes('"zoom":0'))).toBe(true);
  await (await visibleMarker(frame, ".sm-item"))!.click();
  await frame.getByRole("button", { name: "Like", exact: true }).click();
  await expect(frame.getByRole("button", { name: "Liked", exact: true })).toBeVisible();
  expect(calls.some((c) => c.startsWith("feedback.rateItem") && c.includes('"rating":1'))).toBe(true);
  await expect(frame.locator(".sm-item.sm-liked")).toHaveCount(1);
  await client.close();
});

test("the widget from window.openai, as ChatGPT provides it, keeps only the view in widgetState", async ({ page }) => {
  const client = await mcpClient();
  const { result, html } = await mapAndWidget(client);
  await page.exposeFunction("forwardTool", async (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }));
  await page.addInitScript((result) => {
    const w = window as unknown as Record<string, unknown> & { forwardTool: (n: string, a: unknown) => Promise<unknown> };
    w.savedStates = [];
    w.openai = {
      toolOutput: result.structuredContent,
      toolResponseMetadata: result._meta ?? null,
      callTool: (name: string, args: unknown) => w.forwardTool(name, args),
      setWidgetState: (state: unknown) => (w.savedStates as unknown[]).push(state),
      openExternal: () => {},
    };
  }, result as { structuredContent: unknown; _meta?: unknown });
  const widgetUrl = `${appUrl()}/__host-sandbox/style-map.html`;
  await page.route(widgetUrl, (route) => route.fulfill({ contentType: "text/html", body: html }));
  await page.goto(widgetUrl);
  await expect(page.locator(".sm-cluster").first()).toBeVisible();
  // Keyboard: focus the map and zoom in with "+".
  await page.locator(".leaflet-container").focus();
  await page.keyboard.press("Equal");
  await expect
    .poll(async () => page.evaluate(() => ((window as unknown as { savedStates: Array<{ view: { zoom: number } }> }).savedStates.at(-1)?.view.zoom ?? 0)))
    .toBeGreaterThan(0);
  const state = await page.evaluate(() => (window as unknown as { savedStates: unknown[] }).savedStates.at(-1));
  expect(Object.keys(state as object).sort()).toEqual(["selected", "view"]);
  await client.close();
});
