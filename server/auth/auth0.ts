import { Auth0Client } from "@auth0/nextjs-auth0/server";
import { NextResponse, type NextRequest } from "next/server";
import type { UserActor } from "../context";
import { env } from "../env";
import { DEV_SESSION_COOKIE, devActor } from "./dev";
import { SCOPES } from "./scopes";

let client: Auth0Client | undefined;

/** The Auth0 SDK client of the companion site, configured from server/env.ts only (oauth mode). */
export function auth0(): Auth0Client {
  const config = env();
  if (config.auth.mode !== "oauth") throw new Error("Auth0 is not configured: AUTH_MODE is dev");
  client ??= new Auth0Client({
    domain: config.auth.domain,
    clientId: config.auth.clientId,
    clientSecret: config.auth.clientSecret,
    secret: config.auth.secret,
    appBaseUrl: config.appBaseUrl,
    allowInsecureRequests: config.auth.allowInsecureRequests,
    signInReturnToPath: "/profile",
    authorizationParameters: { scope: "openid profile email" },
    enableTelemetry: false,
    // A failed sign-in (expired or forged state, a denied consent) lands on the sign-in page with a
    // plain explanation instead of the SDK's bare 500.
    onCallback: async (error, ctx) => {
      const base = ctx.appBaseUrl ?? config.appBaseUrl;
      if (error) return NextResponse.redirect(new URL("/signin?error=callback", base));
      const returnTo = ctx.returnTo && ctx.returnTo.startsWith("/") && !ctx.returnTo.startsWith("//") ? ctx.returnTo : "/profile";
      return NextResponse.redirect(new URL(returnTo, base));
    },
  });
  return client;
}

export function isDevAuth(): boolean {
  return env().auth.mode === "dev";
}

/**
 * The site's signed-in user. The site is first-party: a signed-in person may do everything on their own
 * data there, so the actor carries every scope; tokens from ChatGPT carry only what the user granted.
 */
export async function siteActor(request: Request): Promise<UserActor | null> {
  if (isDevAuth()) {
    return readCookie(request, DEV_SESSION_COOKIE) === "1" ? devActor("site") : null;
  }
  const session = await auth0().getSession(request as NextRequest);
  if (!session?.user.sub) return null;
  return {
    kind: "user",
    userId: session.user.sub,
    email: session.user.email,
    name: session.user.name,
    scopes: new Set(SCOPES),
    via: "site",
  };
}

/** The signed-in person as an actor, for server components and server actions (every scope, as above). */
export async function currentSiteActor(): Promise<UserActor | null> {
  const user = await currentSiteUser();
  return user ? { kind: "user", userId: user.id, email: user.email, name: user.name, scopes: new Set(SCOPES), via: "site" } : null;
}

/** The same, for server components (reads the cookies of the current request). */
export async function currentSiteUser(): Promise<{ id: string; name?: string; email?: string } | null> {
  if (isDevAuth()) {
    const { cookies } = await import("next/headers");
    const jar = await cookies();
    if (jar.get(DEV_SESSION_COOKIE)?.value !== "1") return null;
    const actor = devActor("site");
    return { id: actor.userId, name: actor.name, email: actor.email };
  }
  const session = await auth0().getSession();
  return session ? { id: session.user.sub, name: session.user.name, email: session.user.email } : null;
}

function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}
