import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Database } from "@/db/client";
import { verifierFor, type AppDeps } from "@/server/app";
import { SCOPES } from "@/server/auth/scopes";
import { createDoors, routeFor } from "@/server/doors";
import { parseEnv, type Env } from "@/server/env";
import { silentLogger } from "@/server/logger";
import { startIdentityProvider, type TestIdentityProvider } from "./oidc";

/**
 * The app's HTTP doors (the same handlers the Next routes export) on a real loopback port, in oauth mode
 * against a real OpenID provider, over a private test database.
 */
export interface TestApp {
  url: string;
  env: Env;
  deps: AppDeps;
  idp: TestIdentityProvider;
  /** An MCP SDK client connected as `user` with `scopes` (all tool scopes by default). */
  mcpClient(user: string, scopes?: readonly string[]): Promise<Client>;
  close(): Promise<void>;
}

export async function startTestApp(database: Database, options: { authMode?: "oauth" | "dev" } = {}): Promise<TestApp> {
  // The port is only known once listening; the env (audience, issuer) is filled in right after.
  let handler: (request: Request) => Promise<Response> = async () => new Response("starting", { status: 503 });
  const server: ServerType = serve({ fetch: (request) => handler(request), hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;

  const idp = await startIdentityProvider({ audience: `${url}/mcp`, appBaseUrl: url });
  const env = parseEnv({
    AUTH_MODE: options.authMode ?? "oauth",
    APP_BASE_URL: url,
    AUTH0_DOMAIN: idp.domain,
    AUTH0_CLIENT_ID: idp.siteClient.clientId,
    AUTH0_CLIENT_SECRET: idp.siteClient.clientSecret,
    AUTH0_SECRET: "a-test-cookie-secret-of-at-least-32-chars",
    AUTH0_ALLOW_INSECURE_REQUESTS: "true",
    DATABASE_URL: "postgres://unused.invalid/db",
    LOG_LEVEL: "silent",
  });
  const deps: AppDeps = { env, database, verifier: verifierFor(env), log: silentLogger };
  const getDeps = async () => deps;
  // The same route table the Next route files export; the site session is the only thing left out.
  const doors = createDoors(getDeps, async () => null);
  handler = async (request) => {
    const route = routeFor(doors, new URL(request.url).pathname);
    return route ? route(request) : new Response("Not found", { status: 404 });
  };

  const clients: Client[] = [];
  return {
    url,
    env,
    deps,
    idp,
    async mcpClient(user, scopes) {
      const token = await idp.tokenFor(user, { scopes: scopes ?? SCOPES });
      const client = new Client({ name: "test-client", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await idp.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
