import { z } from "zod";
import { AppError } from "../errors";

/**
 * A caller's Stripe success / cancel redirect. The schema refuses what is not a plain absolute http(s)
 * URL (scheme-relative `//host`, `javascript:`, `data:`, backslashes, user-info, control characters);
 * `assertAllowedRedirects` then refuses origins not on the allow-list (the app's own by default).
 */
export const redirectUrlSchema = z.string().superRefine((value, ctx) => {
  const problem = redirectProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

function redirectProblem(value: string): string | null {
  if (value.length > 2000) return "must be at most 2000 characters";
  if (/[\\\s\u0000-\u001f\u007f]/.test(value)) return "must not contain backslashes, spaces or control characters";
  if (!/^https?:\/\/[^/]/i.test(value)) return "must be an absolute http(s) URL such as https://example.com/done";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute http(s) URL such as https://example.com/done";
  }
  // User-info ("https://app@evil.example") makes a link look like ours while it leads elsewhere.
  const authority = value.replace(/^https?:\/\//i, "").split(/[/?#]/)[0] ?? "";
  if (url.username || url.password || authority.includes("@")) {
    return "must be a URL without user name or password";
  }
  return null;
}

export function assertAllowedRedirects(urls: Record<string, string | undefined>, allowedOrigins: readonly string[]): void {
  const issues = Object.entries(urls)
    .filter(([, value]) => value !== undefined && !allowedOrigins.includes(new URL(value).origin))
    .map(([field]) => ({ field, message: `must be on an allowed site (${allowedOrigins.join(", ")})` }));
  if (issues.length > 0) {
    throw new AppError("validation", `Invalid ${issues.map((i) => i.field).join(", ")}: ${issues[0]!.message}.`, { issues });
  }
}
