import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { listAuditEventsForUser } from "@/db/repos/audit";
import { startTestApp, type TestApp } from "../support/app";
import { openTestDatabase } from "../support/db";
import { useTestApp } from "../support/fixture";
import { mcpHeaders } from "../support/mcp";

/** What the machine doors refuse before any procedure runs: foreign hosts and origins, oversized bodies, huge batches. */
const fixture = useTestApp();


const rateCall = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "feedback.rateItem", arguments: { itemId: "prd_000001", rating: 1 } },
});

/** Sends with a chosen Host header (fetch forbids setting it). */
async function rawPost(url: string, headers: Record<string, string>, body: string) {
  const { request } = await import("node:http");
  const target = new URL(url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: target.port, path: target.pathname + target.search, method: "POST", headers },
      (res) => {
        let data = "";
        res.on("data", (c: Buffer) => (data += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("DNS-rebinding and cross-site protection (oauth mode)", () => {
  it.each([
    ["a foreign Host", { host: "evil.example" }],
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["Origin: null", { origin: "null" }],
  ])("/mcp refuses %s with a 403, and no tool runs", async (_label, extra) => {
    const token = await fixture.app.idp.tokenFor("grace", { scopes: ["feedback:write"] });
    const port = new URL(fixture.app.url).port;
    const response = await rawPost(`${fixture.app.url}/mcp`, { ...mcpHeaders(token), host: `localhost:${port}`, ...extra }, rateCall);
    expect(response.status).toBe(403);
    expect(response.body).toMatch(/not (served|allowed)/);
    expect(await listAuditEventsForUser(fixture.database.db, "grace")).toEqual([]);
  });

  it("tRPC refuses a foreign Origin with a 403", async () => {
    const token = await fixture.app.idp.tokenFor("grace", { scopes: ["feedback:write"] });
    const response = await fetch(`${fixture.app.url}/api/trpc/feedback.rateItem`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ itemId: "prd_000001", rating: 1 }),
    });
    expect(response.status).toBe(403);
  });

  it("the app's own origin is served", async () => {
    const token = await fixture.app.idp.tokenFor("heidi", { scopes: ["feedback:write"] });
    const response = await fetch(`${fixture.app.url}/mcp`, { method: "POST", headers: mcpHeaders(token, { origin: fixture.app.url }), body: rateCall });
    expect(response.status).toBe(200);
  });
});

describe("DNS-rebinding protection (dev mode, no auth)", () => {
  let database: Database;
  let devApp: TestApp;
  beforeAll(async () => {
    database = await openTestDatabase();
    devApp = await startTestApp(database, { authMode: "dev" });
  });
  afterAll(async () => {
    await devApp?.close();
    await database?.close();
  });

  const init = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  });
  const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };

  it("a page on another name pointed at 127.0.0.1 is refused", async () => {
    const response = await rawPost(`${devApp.url}/mcp`, { ...headers, host: "evil.example", origin: "http://evil.example" }, init);
    expect(response.status).toBe(403);
  });

  it("loopback hosts are served", async () => {
    const port = new URL(devApp.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      const response = await rawPost(`${devApp.url}/mcp`, { ...headers, host, origin: `http://${host}` }, init);
      expect(response.status, host).toBe(200);
    }
  });
});

describe("body and batch limits", () => {
  /** Streams `bytes` with no Content-Length (chunked) and reports the status the server answers with. */
  async function chunkedPost(url: string, headers: Record<string, string>, bytes: number): Promise<number> {
    const { request } = await import("node:http");
    const target = new URL(url);
    return new Promise<number>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: target.port, path: target.pathname, method: "POST", headers: { ...headers, host: target.host } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      // The server may answer and close before the upload ends; its answer is what counts.
      req.on("error", () => {});
      req.on("close", () => reject(new Error("closed without a response")));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < bytes) {
          sent += chunk.byteLength;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
  }

  it.each(["/mcp", "/api/trpc/profile.upsertSizes"])("%s refuses a chunked body over 1 MB with 413", async (path) => {
    const token = await fixture.app.idp.tokenFor("alice", { scopes: ["profile:write"] });
    const status = await chunkedPost(`${fixture.app.url}${path}`, mcpHeaders(token), 3 * 1024 * 1024);
    expect(status).toBe(413);
  });

  it("a tRPC batch of 300 calls is refused", async () => {
    const token = await fixture.app.idp.tokenFor("alice", { scopes: ["profile:read"] });
    const names = Array.from({ length: 300 }, () => "profile.get").join(",");
    const input = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [i, {}]));
    const response = await fetch(`${fixture.app.url}/api/trpc/${names}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(400);
  });
});

describe("routes outside the doors", () => {
  it.each(["%00.svg", "a%00b.svg", "%ED%A0%80.svg"])("/images/products/%s is a 404, not a 500", async (file) => {
    const response = await fetch(`${fixture.app.url}/images/products/${file}`);
    expect(response.status).toBe(404);
  });
});
