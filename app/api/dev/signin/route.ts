import { NextResponse } from "next/server";
import { DEV_SESSION_COOKIE } from "@/server/auth/dev";
import { env } from "@/server/env";
import { safeReturnTo } from "@/server/site";

/** AUTH_MODE=dev only: signs the browser in as the fixed local user. */
export async function POST(request: Request): Promise<Response> {
  if (env().auth.mode !== "dev") return new Response("Not found", { status: 404 });
  const form = await request.formData().catch(() => null);
  const returnTo = safeReturnTo(typeof form?.get("returnTo") === "string" ? (form.get("returnTo") as string) : null);
  const response = NextResponse.redirect(new URL(returnTo, request.url), 303);
  response.cookies.set(DEV_SESSION_COOKIE, "1", { httpOnly: true, sameSite: "lax", path: "/" });
  return response;
}
