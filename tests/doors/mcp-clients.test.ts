import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { describe, expect, it } from "vitest";
import { proceduresAt } from "@/server/procedures";
import { useTestApp } from "../support/fixture";
import { mcpHeaders, toolErrorOf } from "../support/mcp";

/**
 * As ChatGPT, the MCP Inspector and the SDK Client call us: list the tools first, then call them. The
 * SDK Client then validates every result against the tool's outputSchema and throws on a mismatch, so
 * each of these calls also proves the result is one such a client accepts.
 */
const fixture = useTestApp();

async function listedClient(): Promise<Client> {
  const client = await fixture.app.mcpClient("alice");
  await client.listTools();
  return client;
}

const text = (result: unknown, index: number) =>
  ((result as { content: Array<{ type: string; text?: string }> }).content[index]?.text ?? "") as string;

describe("results a validating client accepts", () => {
  it.each(proceduresAt("mcp").map((p) => [p.name] as const))(
    "%s with an unknown field is a validation error the client shows, naming the field",
    async (name) => {
      const client = await listedClient();
      const result = await client.callTool({ name, arguments: { notAField: 1 } });
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      const error = toolErrorOf(result);
      expect(error?.code).toBe("validation");
      expect(JSON.stringify(error)).toContain("notAField");
      expect(text(result, 0)).toMatch(/^Error \(validation\): /);
    },
  );

  it("an unknown item is not_found, not a schema failure", async () => {
    const client = await listedClient();
    const result = await client.callTool({ name: "catalog.getItem", arguments: { itemId: "nope" } });
    expect(result.isError).toBe(true);
    expect(toolErrorOf(result)).toMatchObject({ code: "not_found", message: "No item with id nope.", hint: expect.any(String) });
  });

  it.each([
    ["catalog.search", { limit: 1e9 }, "limit"],
    ["feedback.rateItem", { itemId: "prd_000001", rating: 2 }, "rating"],
    ["profile.setAddress", { address: { line1: "a\u0000b", city: "Paris", state: "IDF", postalCode: "75001", country: "FR" } }, "address.line1"],
    ["profile.upsertBudgetAndGoals", { monthlyBudget: 100, goals: [], styleTags: ["\ud800"] }, "styleTags.0"],
    ["catalog.search", { q: "tee\u0000" }, "q"],
  ] as const)("%s %j is a validation error naming %s", async (name, args, field) => {
    const client = await listedClient();
    const result = await client.callTool({ name, arguments: args as Record<string, unknown> });
    expect(result.isError).toBe(true);
    const error = toolErrorOf(result);
    expect(error?.code).toBe("validation");
    expect(error?.issues?.map((i) => i.field)).toContain(field);
  });

  it("a success leads with a one-line summary, then the structured result as JSON", async () => {
    const client = await listedClient();
    const result = await client.callTool({ name: "catalog.search", arguments: { q: "coat", limit: 3 } });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as { items: Array<{ title: string; pageUrl: string; imageUrl: string }> };
    expect(structured.items.length).toBeGreaterThan(0);
    expect(text(result, 0)).toMatch(/^Found \d+ items? for coat/);
    expect(text(result, 0)).not.toContain("\n");
    expect(JSON.parse(text(result, 1))).toEqual(structured);
    for (const item of structured.items) {
      expect(item.pageUrl).toMatch(new RegExp(`^${fixture.app.url}/catalog/`));
      expect(item.imageUrl.startsWith(fixture.app.url)).toBe(true);
    }
  });

  it("invalid JSON-RPC params are -32602, not an internal error", async () => {
    const token = await fixture.app.idp.tokenFor("alice", { scopes: ["catalog:read"] });
    const response = await fetch(`${fixture.app.url}/mcp`, {
      method: "POST",
      headers: mcpHeaders(token),
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: 5 } }),
    });
    const body = (await response.json()) as { error?: { code: number } };
    expect(body.error?.code).toBe(-32602);
  });
});

describe("widgets as MCP resources", () => {
  it("every widget is listed and readable as a self-contained HTML document with both CSP conventions", async () => {
    const client = await listedClient();
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) {
      expect(resource.uri).toMatch(/^ui:\/\/widget\/[a-z-]+-[0-9a-f]{12}\.html$/);
      expect(resource.mimeType).toBe("text/html;profile=mcp-app");
      const { contents } = await client.readResource({ uri: resource.uri });
      const [content] = contents as Array<{ uri: string; mimeType: string; text: string; _meta: Record<string, unknown> }>;
      expect(content?.mimeType).toBe("text/html;profile=mcp-app");
      expect(content?.text).toMatch(/^<!doctype html>/);
      expect(content?.text).toContain('<div id="root"></div>');
      expect(content?.text).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
      const meta = content!._meta as {
        ui: { csp: { connectDomains: string[]; resourceDomains: string[] }; prefersBorder: boolean };
        "openai/widgetCSP": { connect_domains: string[]; resource_domains: string[] };
        "openai/widgetDescription": string;
      };
      expect(meta["openai/widgetCSP"].connect_domains).toEqual(meta.ui.csp.connectDomains);
      expect(meta["openai/widgetCSP"].resource_domains).toEqual(meta.ui.csp.resourceDomains);
      expect(meta.ui.csp.resourceDomains).toEqual([fixture.app.url]);
      expect([...meta.ui.csp.resourceDomains, ...meta.ui.csp.connectDomains]).not.toContain("*");
      expect(meta["openai/widgetDescription"].length).toBeGreaterThan(20);
      expect(typeof meta.ui.prefersBorder).toBe("boolean");
    }
  });

  it("a tool's template names a listed widget, identically in both conventions", async () => {
    const client = await listedClient();
    const { tools } = await client.listTools();
    const { resources } = await client.listResources();
    const search = tools.find((t) => t.name === "catalog.search");
    const meta = search?._meta as { ui?: { resourceUri?: string }; "openai/outputTemplate"?: string; "openai/toolInvocation/invoking"?: string };
    expect(meta.ui?.resourceUri).toBe(meta["openai/outputTemplate"]);
    expect(resources.map((r) => r.uri)).toContain(meta.ui?.resourceUri);
    for (const tool of tools) {
      const m = tool._meta as Record<string, unknown>;
      for (const key of ["openai/toolInvocation/invoking", "openai/toolInvocation/invoked"]) {
        if (m[key] !== undefined) expect(String(m[key]).length).toBeLessThanOrEqual(64);
      }
    }
  });

  it("an unknown resource is refused", async () => {
    const client = await listedClient();
    await expect(client.readResource({ uri: "ui://widget/nothing-000000000000.html" })).rejects.toThrow(/Unknown resource/);
  });
});
