import { NextResponse } from "next/server";
import { DEV_SESSION_COOKIE } from "@/server/auth/dev";
import { env } from "@/server/env";

export async function POST(request: Request): Promise<Response> {
  if (env().auth.mode !== "dev") return new Response("Not found", { status: 404 });
  const response = NextResponse.redirect(new URL("/", request.url), 303);
  response.cookies.delete(DEV_SESSION_COOKIE);
  return response;
}
