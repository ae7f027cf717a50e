import { describe, expect, it } from "vitest";
import { SCOPES } from "@/server/auth/scopes";
import { proceduresAt } from "@/server/procedures";
import type { Procedure } from "@/server/procedures/define";
import type { TestApp } from "../support/app";
import { useTestApp } from "../support/fixture";
import { mcpHeaders, toolErrorOf } from "../support/mcp";

/**
 * Credentials are checked once per door, before any procedure is looked up, so each kind of bad
 * credential is tried once at each door. Scopes are per procedure: those checks are generated from the
 * registry, for every procedure at each door that serves it. No test to write when a tool is added.
 */
const fixture = useTestApp();

type Credential = (app: TestApp) => Promise<string | null>;

const INVALID_CREDENTIALS: Array<[string, Credential]> = [
  ["no token", async () => null],
  ["a malformed token", async () => "not-a-jwt"],
  [
    "a token with a bad signature",
    async (a) => {
      const token = await a.idp.tokenFor("alice", { scopes: SCOPES });
      const [header, payload, signature] = token.split(".");
      const flipped = signature!.startsWith("A") ? `B${signature!.slice(1)}` : `A${signature!.slice(1)}`;
      return `${header}.${payload}.${flipped}`;
    },
  ],
  [
    "a token from another issuer",
    async (a) => a.idp.sign({ sub: "alice", iss: "https://evil.example/", aud: a.env.mcpResource, scope: SCOPES.join(" ") }, { expiresIn: "1h" }),
  ],
  ["a token for another audience", async (a) => a.idp.tokenFor("alice", { scopes: SCOPES, audience: "https://other-api.example/" })],
  [
    "an expired token",
    async (a) =>
      a.idp.sign({ sub: "alice", iss: a.idp.issuer, aud: a.env.mcpResource, scope: SCOPES.join(" ") }, { expiresIn: Math.floor(Date.now() / 1000) - 600 }),
  ],
  [
    "an HS256 token (algorithm confusion)",
    async (a) => {
      const { SignJWT } = await import("jose");
      return new SignJWT({ sub: "alice", scope: SCOPES.join(" ") })
        .setProtectedHeader({ alg: "HS256" })
        .setIssuer(a.idp.issuer)
        .setAudience(a.env.mcpResource)
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode("x".repeat(32)));
    },
  ],
];

async function mcpCall(token: string | null, tool: string) {
  const response = await fetch(`${fixture.app.url}/mcp`, {
    method: "POST",
    headers: mcpHeaders(token ?? undefined),
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: tool, arguments: {} } }),
  });
  const body = (await response.json()) as {
    result?: { isError?: boolean; content?: unknown; structuredContent?: unknown; _meta?: Record<string, unknown> };
  };
  const error = body.result?.isError ? toolErrorOf(body.result) : undefined;
  return { response, body, error };
}

async function trpcCall(token: string | null, procedure: Procedure) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const url = `${fixture.app.url}/api/trpc/${procedure.name}`;
  return procedure.kind === "query"
    ? fetch(`${url}?input=${encodeURIComponent("{}")}`, { headers })
    : fetch(url, { method: "POST", headers, body: "{}" });
}

const someMcpTool = proceduresAt("mcp")[0]!;
const someSiteProcedure = proceduresAt("site")[0]!;

describe("bad credentials, once per door", () => {
  it.each(INVALID_CREDENTIALS)("MCP: %s is a 401 with a resource_metadata challenge", async (_label, credential) => {
    const token = await credential(fixture.app);
    const { response } = await mcpCall(token, someMcpTool.name);
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    expect(challenge).toContain(`resource_metadata="${new URL(fixture.app.env.mcpResource).origin}/.well-known/oauth-protected-resource/mcp"`);
    if (token) expect(challenge).toContain('error="invalid_token"');
  });

  it.each(INVALID_CREDENTIALS)("tRPC: %s is a 401", async (_label, credential) => {
    const response = await trpcCall(await credential(fixture.app), someSiteProcedure);
    expect(response.status).toBe(401);
  });
});

describe.each(proceduresAt("mcp").map((p) => [p.name, p] as const))("MCP tool %s", (name, procedure) => {
  it("a valid token without the tool's scopes is insufficient_scope, naming them, with a challenge", async () => {
    const granted = SCOPES.filter((s) => !procedure.scopes.includes(s));
    const token = await fixture.app.idp.tokenFor("alice", { scopes: granted.length ? granted : ["profile:read"] });
    const { response, body, error } = await mcpCall(token, name);
    expect(response.status).toBe(200);
    expect(body.result?.isError).toBe(true);
    expect(body.result?.structuredContent).toBeUndefined();
    expect(error?.code).toBe("insufficient_scope");
    expect(error?.missingScopes?.sort()).toEqual([...procedure.scopes].sort());
    const challenges = body.result?._meta?.["mcp/www_authenticate"] as string[];
    expect(challenges[0]).toContain('error="insufficient_scope"');
    expect(challenges[0]).toContain(`scope="${procedure.scopes.join(" ")}"`);
  });

  it("a token with exactly the tool's scopes gets past authorization", async () => {
    const token = await fixture.app.idp.tokenFor("alice", { scopes: procedure.scopes });
    const { error } = await mcpCall(token, name);
    expect(["unauthorized", "insufficient_scope"]).not.toContain(error?.code);
  });
});

describe.each(proceduresAt("site").map((p) => [p.name, p] as const))("tRPC procedure %s", (_name, procedure) => {
  it("a valid token without the procedure's scopes is a 403", async () => {
    const granted = SCOPES.filter((s) => !procedure.scopes.includes(s));
    const token = await fixture.app.idp.tokenFor("alice", { scopes: granted });
    const response = await trpcCall(token, procedure);
    expect(response.status).toBe(403);
  });

  it("a token with exactly the procedure's scopes gets past authorization", async () => {
    const token = await fixture.app.idp.tokenFor("alice", { scopes: procedure.scopes });
    const trpc = await trpcCall(token, procedure);
    expect([401, 403]).not.toContain(trpc.status);
  });
});

describe("scopes from Auth0's permissions claim", () => {
  it("count like scopes from the scope claim", async () => {
    const token = await fixture.app.idp.sign(
      { sub: "alice", iss: fixture.app.idp.issuer, aud: fixture.app.env.mcpResource, permissions: ["profile:read"] },
      { expiresIn: Math.floor(Date.now() / 1000) + 600 },
    );
    const { body } = await mcpCall(token, "profile.get");
    expect(body.result?.isError).toBeFalsy();
  });
});
