import { createHash, randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";

export const appUrl = () => process.env.E2E_APP_URL!;
export const issuer = () => process.env.E2E_ISSUER!;

/** Signs in through the site's sign-in page and the provider's login form; lands on `landing`. */
export async function signIn(page: Page, login: string, landing = `${appUrl()}/profile`) {
  if (!page.url().includes("/signin")) await page.goto(`${appUrl()}/signin`);
  await page.getByRole("link", { name: "Continue to sign in" }).click();
  await loginAtProvider(page, login);
  await page.waitForURL(landing);
}

/** The identity provider's login form (Auth0's Universal Login in production). */
export async function loginAtProvider(page: Page, login: string) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

/**
 * What ChatGPT's connector does: an authorization code flow (PKCE) for the MCP resource in the same
 * browser session, then a token request. Returns the access token for /mcp.
 */
export async function connectorToken(page: Page, scopes: string, login?: string): Promise<string> {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const redirectUri = "http://127.0.0.1/connector/callback";
  let code: string | null = null;
  await page.route(`${redirectUri}**`, async (route) => {
    code = new URL(route.request().url()).searchParams.get("code");
    await route.fulfill({ status: 200, body: "connected" });
  });
  const authorize = new URL("auth", issuer());
  authorize.search = new URLSearchParams({
    client_id: "chatgpt-connector",
    response_type: "code",
    redirect_uri: redirectUri,
    scope: `openid ${scopes}`,
    resource: process.env.E2E_AUDIENCE!,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "s",
  }).toString();
  await page.goto(authorize.toString());
  // Signed in at the provider already, or (a fresh browser, as when connecting in ChatGPT) now.
  if (login) await loginAtProvider(page, login);
  // They are asked once to let ChatGPT use these scopes.
  await expect(page.getByRole("heading", { name: "Authorize" })).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect.poll(() => code).not.toBeNull();
  const response = await fetch(new URL("token", issuer()), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: code!,
      redirect_uri: redirectUri,
      client_id: "chatgpt-connector",
      code_verifier: verifier,
      resource: process.env.E2E_AUDIENCE!,
    }),
  });
  const json = (await response.json()) as { access_token?: string; error_description?: string };
  if (!json.access_token) throw new Error(`token exchange failed: ${json.error_description}`);
  return json.access_token;
}


/** A client-credentials token for the MCP audience, as a machine client of the test provider gets it. */
export async function machineToken(user: string, scopes: string): Promise<string> {
  const response = await fetch(new URL("token", issuer()), {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${user}:${user}-secret`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "client_credentials", resource: process.env.E2E_AUDIENCE!, scope: scopes }),
  });
  const json = (await response.json()) as { access_token?: string };
  if (!json.access_token) throw new Error("no token");
  return json.access_token;
}
