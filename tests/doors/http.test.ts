import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, type Database } from "@/db/client";
import { startTestApp, type TestApp } from "../support/app";
import { useTestApp } from "../support/fixture";
import { mcpHeaders, toolErrorOf } from "../support/mcp";

const fixture = useTestApp();


describe("HTTP doors", () => {
  it("every response carries a request id, and a caller's own id is kept", async () => {
    const token = await fixture.app.idp.tokenFor("alice", { scopes: ["profile:read"] });
    const response = await fetch(`${fixture.app.url}/mcp`, {
      method: "POST",
      headers: { ...mcpHeaders(token), "x-request-id": "lb-req-12345678" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.headers.get("x-request-id")).toBe("lb-req-12345678");
    const unauthenticated = await fetch(`${fixture.app.url}/mcp`, { method: "POST", body: "{}" });
    expect(unauthenticated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("GET /mcp is refused: the endpoint is stateless", async () => {
    const token = await fixture.app.idp.tokenFor("alice", { scopes: ["profile:read"] });
    const response = await fetch(`${fixture.app.url}/mcp`, { headers: mcpHeaders(token) });
    expect(response.status).toBe(405);
  });

  it("health reports the database and that every migration is applied", async () => {
    const response = await fetch(`${fixture.app.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      database: { status: "ok" },
      migrations: { pending: 0, applied: expect.any(Number) },
    });
  });

  it("tRPC reads the same procedures, with validation errors naming the field", async () => {
    const token = await fixture.app.idp.tokenFor("alice", { scopes: ["catalog:read", "profile:write"] });
    const ok = await fetch(`${fixture.app.url}/api/trpc/catalog.search?input=${encodeURIComponent(JSON.stringify({ q: "tee", limit: 2 }))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { result: { data: { items: unknown[] } } };
    expect(body.result.data.items).toHaveLength(2);

    const bad = await fetch(`${fixture.app.url}/api/trpc/profile.upsertSizes`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ sizes: 42 }),
    });
    expect(bad.status).toBe(400);
    const error = (await bad.json()) as { error: { data: { app: { code: string; issues: Array<{ field: string }> }; stack?: string } } };
    expect(error.error.data.app.code).toBe("validation");
    expect(error.error.data.app.issues[0]?.field).toBe("sizes");
    expect(error.error.data.stack).toBeUndefined();
  });

  it("refuses an oversized tRPC body with 413", async () => {
    const token = await fixture.app.idp.tokenFor("alice", { scopes: ["profile:write"] });
    const response = await fetch(`${fixture.app.url}/api/trpc/profile.upsertSizes`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ sizes: { top: "x".repeat(2 * 1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
  });
});

describe("when the database is down", () => {
  let broken: Database;
  let brokenApp: TestApp;
  beforeAll(async () => {
    broken = openPostgres("postgres://postgres@127.0.0.1:1/nothing", 1);
    brokenApp = await startTestApp(broken);
  });
  afterAll(async () => {
    await brokenApp?.close();
    await broken?.close();
  });

  it("a tool call is an internal error carrying the request id, never a stack trace", async () => {
    const token = await brokenApp.idp.tokenFor("alice", { scopes: ["profile:read"] });
    const response = await fetch(`${brokenApp.url}/mcp`, {
      method: "POST",
      headers: mcpHeaders(token),
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "profile.get", arguments: {} } }),
    });
    const text = await response.text();
    const requestId = response.headers.get("x-request-id");
    const body = JSON.parse(text) as { result: { isError: boolean; content: unknown } };
    expect(body.result.isError).toBe(true);
    expect(toolErrorOf(body.result)).toMatchObject({ code: "internal", requestId });
    expect(text).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+|postgres:\/\//);
  });

  it("health says the database is down", async () => {
    const response = await fetch(`${brokenApp.url}/api/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "down", database: { status: "down" } });
  });
});
