import { z } from "zod";
import { AppError } from "../errors";

/**
 * A caller's Stripe success / cancel redirect. The schema refuses what is not a plain absolute http(s)
 * URL (scheme-relative `//host`, `javascript:`, `data:`, backslashes, user-info, control characters);
 * `assertAllowedRedirects` then refuses origins not on the allow-list (the app's own by default).
 */
export const redirectUrlSchema = z
  .string()
  .max(2000, "must be at most 2000 characters")
  .refine((value) => !/[\\\s\u0000-\u001f\u007f]/.test(value), "must not contain backslashes, spaces or control characters")
  .refine((value) => /^https?:\/\/[^/]/i.test(value), "must be an absolute http(s) URL such as https://example.com/done")
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.username === "" && url.password === "" && !value.slice(0, value.indexOf(url.host) + url.host.length).includes("@");
    } catch {
      return false;
    }
  }, "must be a URL without user name or password");

export function assertAllowedRedirects(urls: Record<string, string | undefined>, allowedOrigins: readonly string[]): void {
  const issues = Object.entries(urls)
    .filter(([, value]) => value !== undefined && !allowedOrigins.includes(new URL(value).origin))
    .map(([field]) => ({ field, message: `must be on an allowed site (${allowedOrigins.join(", ")})` }));
  if (issues.length > 0) {
    throw new AppError("validation", `Invalid ${issues.map((i) => i.field).join(", ")}: ${issues[0]!.message}.`, { issues });
  }
}
