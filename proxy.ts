import { NextResponse, type NextRequest } from "next/server";
import { auth0, isDevAuth } from "@/server/auth/auth0";

/**
 * Mounts the Auth0 SDK's routes (/auth/login, /auth/callback, /auth/logout, /auth/profile) and rolls the
 * site session. In AUTH_MODE=dev there is no Auth0: the site uses the local sign-in instead.
 */
export async function proxy(request: NextRequest) {
  if (isDevAuth()) {
    if (request.nextUrl.pathname.startsWith("/auth/")) {
      return NextResponse.redirect(new URL("/signin", request.url));
    }
    return NextResponse.next();
  }
  return auth0().middleware(request);
}

export const config = {
  // Not the machine doors (/mcp, /api, /.well-known, webhooks) nor static files.
  matcher: ["/((?!mcp|api/|\\.well-known|webhooks|images/|_next/static|_next/image|favicon.ico).*)"],
};
