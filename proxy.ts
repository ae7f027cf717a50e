import { NextResponse, type NextRequest } from "next/server";
import { auth0, isDevAuth } from "@/server/auth/auth0";
import { env } from "@/server/env";
import { contentSecurityPolicy, transportSecurityHeaders } from "@/server/security-headers";

/**
 * Every site page passes here: it mounts the Auth0 SDK's routes (/auth/login, /auth/callback,
 * /auth/logout, /auth/profile), rolls the site session, and sets the security headers with a fresh CSP
 * nonce. In AUTH_MODE=dev there is no Auth0: the site uses the local sign-in instead.
 */
export async function proxy(request: NextRequest) {
  const config = env();
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce, { development: config.nodeEnv === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);

  let response: NextResponse;
  if (isDevAuth()) {
    response = request.nextUrl.pathname.startsWith("/auth/")
      ? NextResponse.redirect(new URL("/signin", request.url))
      : NextResponse.next({ request: { headers: requestHeaders } });
  } else {
    const authResponse = await auth0().middleware(request);
    if (request.nextUrl.pathname.startsWith("/auth/") || authResponse.headers.has("location")) {
      response = authResponse;
    } else {
      // Keep the SDK's rolling-session cookies, and hand the nonce on to the page.
      response = NextResponse.next({ request: { headers: requestHeaders } });
      for (const cookie of authResponse.headers.getSetCookie()) response.headers.append("set-cookie", cookie);
    }
  }
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(transportSecurityHeaders(config.appBaseUrl))) response.headers.set(name, value);
  return response;
}

export const config = {
  // Not the machine doors (/mcp, /api, /.well-known, webhooks) nor static files.
  matcher: ["/((?!mcp|api/|\\.well-known|webhooks|images/|_next/static|_next/image|favicon.svg|robots.txt).*)"],
};
