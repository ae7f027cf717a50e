import { serve, type ServerType } from "@hono/node-server";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Database } from "@/db/client";
import { verifierFor, type AppDeps } from "@/server/app";
import { SCOPES } from "@/server/auth/scopes";
import { createDoors, routeFor } from "@/server/doors";
import { parseEnv, type Env } from "@/server/env";
import { silentLogger } from "@/server/logger";
import { startFakeStripe, type FakeStripe } from "@/server/payments/fake-stripe";
import { createStripeGateway } from "@/server/payments/gateway";
import { createPhotoServices } from "@/server/photos/services";
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
  /** The local stand-in for Stripe's API that the app's real Stripe SDK talks to; webhooks go to this app. */
  stripe: FakeStripe;
  /** An MCP SDK client connected as `user` with `scopes` (all tool scopes by default). */
  mcpClient(user: string, scopes?: readonly string[]): Promise<Client>;
  close(): Promise<void>;
}

/** Test-mode Stripe credentials: the fake accepts this key, and the app verifies webhooks with this secret. */
export const TEST_STRIPE = { secretKey: "sk_test_stylist_fake", webhookSecret: "whsec_stylist_test_secret" } as const;

export async function startTestApp(
  database: Database,
  options: { authMode?: "oauth" | "dev"; assetDir?: string; photoHttpHosts?: string[] } = {},
): Promise<TestApp> {
  // The port is only known once listening; the env (audience, issuer) is filled in right after.
  let handler: (request: Request) => Promise<Response> = async () => new Response("starting", { status: 503 });
  const server: ServerType = serve({ fetch: (request) => handler(request), hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;

  const idp = await startIdentityProvider({ audience: `${url}/mcp`, appBaseUrl: url });
  const stripe = await startFakeStripe({
    apiKey: TEST_STRIPE.secretKey,
    webhookSecret: TEST_STRIPE.webhookSecret,
    webhookUrl: `${url}/webhooks/stripe`,
    checkoutPageUrl: `${url}/pay/test`,
  });
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
    STRIPE_SECRET_KEY: TEST_STRIPE.secretKey,
    STRIPE_WEBHOOK_SECRET: TEST_STRIPE.webhookSecret,
    STRIPE_API_URL: stripe.url,
    // Photos go to a private folder per test app; photo URLs may reach only the test's own servers.
    ASSET_DIR: options.assetDir ?? mkdtempSync(path.join(tmpdir(), "stylist-assets-")),
    PHOTO_FETCH_HTTP_HOSTS: options.photoHttpHosts?.join(","),
  });
  if (env.payments.mode !== "stripe") throw new Error("the test app pays through the Stripe SDK");
  const deps: AppDeps = { env, database, verifier: verifierFor(env), log: silentLogger, payments: createStripeGateway(env.payments), photos: createPhotoServices(env.photos) };
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
    stripe,
    async mcpClient(user, scopes) {
      const token = await idp.tokenFor(user, { scopes: scopes ?? SCOPES });
      const client = new Client({ name: "test-client", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      clients.push(client);
      // As ChatGPT, the Inspector and the SDK do: list the tools first, so that the SDK validates every
      // result against the tool's outputSchema (a result that breaks its schema fails the call).
      await client.listTools();
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await idp.close();
      await stripe.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
