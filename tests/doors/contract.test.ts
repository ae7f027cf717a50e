import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { proceduresAt } from "@/server/procedures";
import { useTestApp } from "../support/fixture";

/** Tool names and scopes as the contract document (seed 003) states them. ChatGPT clients rely on these. */
function contractScopes(file = "tool-contracts.md"): Map<string, string[]> {
  const copy = path.join(process.cwd(), "docs", file);
  const text = readFileSync(copy, "utf8");
  const contracts = new Map<string, string[]>();
  let current: string | null = null;
  for (const line of text.split("\n")) {
    const heading = /^### ([a-zA-Z]+\.[a-zA-Z]+)\s*$/.exec(line);
    if (heading) current = heading[1]!;
    const scope = /^- Scope: (.+)$/.exec(line);
    if (current && scope) {
      contracts.set(current, [...scope[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
      current = null;
    }
  }
  return contracts;
}

const fixture = useTestApp();

describe("tool contracts", () => {
  it("our copy of the contract document is the shared seed, word for word", () => {
    const shared = path.join(process.cwd(), "..", "shared", "seeds", "003_cad2d18bc467cb3b.txt");
    if (!existsSync(shared)) return; // a checkout without shared/ beside it: the copy stands alone
    expect(readFileSync(path.join(process.cwd(), "docs", "tool-contracts.md"), "utf8")).toBe(readFileSync(shared, "utf8"));
  });

  it("tools/list names exactly the built tools, each with the contract's scopes (or, for additions, docs/tool-additions.md's)", async () => {
    const contract = contractScopes();
    expect(contract.size).toBeGreaterThanOrEqual(20);
    const additions = contractScopes("tool-additions.md");
    for (const name of additions.keys()) expect(contract.has(name), `${name} is added but is a contract name`).toBe(false);
    const contracts = new Map([...contract, ...additions]);
    const client = await fixture.app.mcpClient("alice");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(proceduresAt("mcp").map((p) => p.name).sort());
    for (const tool of tools) {
      expect(contracts.has(tool.name), `${tool.name} is not in the contract document`).toBe(true);
      const schemes = (tool._meta as { securitySchemes?: Array<{ type: string; scopes: string[] }> }).securitySchemes;
      expect(schemes, tool.name).toEqual([{ type: "oauth2", scopes: contracts.get(tool.name) }]);
    }
  });

  it("every tool has a title, a description, all three hints and object input and output schemas", async () => {
    const client = await fixture.app.mcpClient("alice");
    const { tools } = await client.listTools();
    for (const tool of tools) {
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(60);
      expect(typeof tool.annotations?.readOnlyHint, tool.name).toBe("boolean");
      expect(typeof tool.annotations?.destructiveHint, tool.name).toBe("boolean");
      expect(typeof tool.annotations?.openWorldHint, tool.name).toBe("boolean");
      expect(tool.inputSchema.type, tool.name).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
    }
  });

  it("the input schemas carry the contract's field names", async () => {
    const client = await fixture.app.mcpClient("alice");
    const { tools } = await client.listTools();
    const fields = (name: string) => Object.keys(tools.find((t) => t.name === name)?.inputSchema.properties ?? {}).sort();
    expect(fields("profile.upsertBudgetAndGoals")).toEqual(["departments", "goals", "monthlyBudget", "styleTags"]);
    expect(tools.find((t) => t.name === "profile.upsertBudgetAndGoals")!.inputSchema.required ?? []).not.toContain("departments");
    expect(fields("profile.upsertSizes")).toEqual(["sizes"]);
    expect(fields("profile.setAddress")).toEqual(["address"]);
    // Additive optional inputs an issue asked for (docs/tool-additions.md): never required.
    expect(fields("catalog.search")).toEqual(["cursor", "facets", "filters", "limit", "q"]);
    const search = tools.find((t) => t.name === "catalog.search")!.inputSchema;
    expect(search.required ?? []).not.toContain("cursor");
    expect(search.required ?? []).not.toContain("facets");
    expect(fields("catalog.getItem")).toEqual(["itemId"]);
    expect(fields("feedback.rateItem")).toEqual(["itemId", "rating"]);
    expect(fields("styleMap.getViewportItems")).toEqual(["filters", "limit", "viewport", "zoom"]);
    expect(fields("styleMap.getClusters")).toEqual(["filters", "viewport", "zoom"]);
    expect(fields("styleMap.getItemNeighbors")).toEqual(["itemId", "limit"]);
  });
});

describe("OAuth protected resource metadata", () => {
  it.each(["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"])(
    "%s names the configured resource and the issuer, whatever the Host header says",
    async (route) => {
      const response = await fetch(`${fixture.app.url}${route}`, { headers: { "x-forwarded-host": "attacker.example" } });
      expect(response.status).toBe(200);
      const metadata = (await response.json()) as { resource: string; authorization_servers: string[]; scopes_supported: string[] };
      expect(metadata.resource).toBe(fixture.app.env.mcpResource);
      expect(metadata.authorization_servers).toEqual([fixture.app.idp.issuer]);
      expect(metadata.scopes_supported).toContain("profile:read");
    },
  );
});
