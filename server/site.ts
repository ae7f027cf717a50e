import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { getApp } from "./app";
import { currentSiteActor } from "./auth/auth0";
import { AppError, toAppError, type ErrorBody } from "./errors";
import { contextFor } from "./http";
import type { Procedure } from "./procedures/define";
import { runProcedure } from "./run-procedure";

/** A procedure's result at the site, or the structured error it was refused with. */
export type SiteResult<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

/**
 * Runs a registry procedure for the signed-in person from a server component or server action: the
 * same runProcedure as both doors (validation, scopes, transactions, audit). Anonymous callers get
 * `unauthorized`; pages check sign-in first and redirect.
 */
export async function siteCall<I extends z.ZodType, O extends z.ZodType>(
  procedure: Procedure<I, O>,
  input: z.input<I>,
): Promise<SiteResult<z.output<O>>> {
  const deps = await getApp();
  const requestId = randomUUID();
  const actor = (await currentSiteActor()) ?? { kind: "anonymous" as const, via: "site" as const };
  try {
    return { ok: true, value: await runProcedure(procedure, contextFor(deps, actor, requestId), input) };
  } catch (error) {
    const appError = error instanceof AppError ? error : toAppError(error);
    return { ok: false, error: appError.toBody(requestId) };
  }
}

/** A local path to come back to after signing in; anything else (other sites, `//host`) is dropped. */
export function safeReturnTo(value: string | undefined | null, fallback = "/profile"): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || /[\\\s]/.test(value)) return fallback;
  return value;
}

/** The sign-in page that brings the person back to `path`. */
export function signInUrl(path: string): string {
  return `/signin?returnTo=${encodeURIComponent(safeReturnTo(path))}`;
}
