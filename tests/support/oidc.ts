import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import Provider, { type Configuration } from "oidc-provider";
import { SCOPES } from "@/server/auth/scopes";

/**
 * A real OpenID provider on loopback standing in for Auth0: same issuer shape (`http://localhost:<port>/`),
 * JWKS at `/.well-known/jwks.json`, RS256 JWT access tokens for an API audience (resource indicators),
 * authorization code login for the site (its dev login form takes any name), client credentials for
 * machine tokens in tests.
 */
export interface TestIdentityProvider {
  issuer: string;
  domain: string;
  port: number;
  /** A token from the provider's token endpoint (client credentials): `sub` is the client id. */
  tokenFor(user: string, options: { scopes: readonly string[]; audience?: string }): Promise<string>;
  /** Signs claims with the provider's own key (for expired or foreign-issuer tokens). */
  sign(claims: Record<string, unknown>, options?: { expiresIn?: string | number; alg?: "RS256" }): Promise<string>;
  siteClient: { clientId: string; clientSecret: string };
  close(): Promise<void>;
}

export const TEST_USERS = [
  ...(["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"] as const),
  // Generic shoppers for suites that need one fresh person per case (tests/checkout.test.ts).
  ...Array.from({ length: 40 }, (_, i) => `shopper-${String(i + 1).padStart(2, "0")}`),
];

export async function startIdentityProvider(options: { audience: string; appBaseUrl?: string }): Promise<TestIdentityProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://localhost:${port}/`;

  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: "test-key-1", alg: "RS256", use: "sig" };
  const siteClient = { clientId: "stylist-site", clientSecret: "site-secret-that-is-long-enough-0123456789" };
  const allScopes = SCOPES.join(" ");

  const configuration: Configuration = {
    jwks: { keys: [jwk] },
    clients: [
      {
        client_id: siteClient.clientId,
        client_secret: siteClient.clientSecret,
        redirect_uris: [`${options.appBaseUrl ?? "http://localhost:3000"}/auth/callback`],
        post_logout_redirect_uris: [options.appBaseUrl ?? "http://localhost:3000"],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
      {
        client_id: "chatgpt-connector",
        token_endpoint_auth_method: "none",
        redirect_uris: ["http://127.0.0.1/connector/callback"],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        scope: `openid profile email ${allScopes}`,
      },
      ...TEST_USERS.map((user) => ({
        client_id: user,
        client_secret: `${user}-secret`,
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
        scope: allScopes,
      })),
    ],
    scopes: ["openid", "profile", "email", "offline_access", ...SCOPES],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, email: `${id}@example.test`, email_verified: true, name: id }),
    }),
    // First-party apps skip consent (as Auth0's "skip consent" setting does); third parties such as the
    // ChatGPT connector get the consent screen once, and their grant is found again afterwards.
    loadExistingGrant: async (ctx) => {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (client.clientId !== siteClient.clientId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope("openid profile email offline_access");
      grant.addOIDCClaims(["email", "name", "email_verified"]);
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: allScopes,
          audience: resource,
          accessTokenTTL: 3600,
          accessTokenFormat: "jwt",
          jwt: { sign: { alg: "RS256" } },
        }),
      },
    },
    routes: { jwks: "/.well-known/jwks.json" },
    pkce: { required: () => false },
    cookies: { keys: ["oidc-test-cookie-key"] },
    ttl: { AccessToken: 3600, ClientCredentials: 3600, IdToken: 3600, Session: 3600, Interaction: 600, Grant: 3600 },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = false;
  server.on("request", provider.callback());

  return {
    issuer,
    domain: `http://localhost:${port}`,
    port,
    siteClient,
    async tokenFor(user, { scopes, audience }) {
      const body = new URLSearchParams({ grant_type: "client_credentials", resource: audience ?? options.audience });
      if (scopes.length > 0) body.set("scope", scopes.join(" "));
      const response = await fetch(new URL("token", issuer), {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${user}:${user}-secret`).toString("base64")}`,
        },
        body,
      });
      const json = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!json.access_token) throw new Error(`token request failed: ${json.error} ${json.error_description}`);
      return json.access_token;
    },
    async sign(claims, signOptions = {}) {
      let jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: signOptions.alg ?? "RS256", kid: jwk.kid, typ: "at+jwt" })
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200);
      if (signOptions.expiresIn !== undefined) jwt = jwt.setExpirationTime(signOptions.expiresIn);
      return jwt.sign(privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
