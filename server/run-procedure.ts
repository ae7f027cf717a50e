import type { z } from "zod";
import { ensureUser } from "@/db/repos/users";
import { missingScopes } from "./auth/scopes";
import type { Context, UserContext } from "./context";
import { AppError, toAppError, type ValidationIssue } from "./errors";
import type { Procedure } from "./procedures/define";

/**
 * The one path every call takes, whichever door it came through: authenticate, check scopes, validate,
 * run (mutations in one transaction with their audit events), validate the output, log. Errors leave as
 * AppError; anything unexpected becomes `internal` and is logged with the request id.
 */
export async function runProcedure<I extends z.ZodType, O extends z.ZodType>(
  procedure: Procedure<I, O>,
  ctx: Context,
  rawInput: unknown,
): Promise<z.output<O>> {
  const started = performance.now();
  const log = ctx.log.child({ procedure: procedure.name });
  try {
    const userCtx = requireUser(ctx);
    const missing = missingScopes(procedure.scopes, userCtx.actor.scopes);
    if (missing.length > 0) {
      throw new AppError("insufficient_scope", `This needs the ${missing.join(", ")} permission.`, {
        missingScopes: missing,
      });
    }
    const parsed = procedure.input.safeParse(rawInput ?? {});
    if (!parsed.success) throw validationError(parsed.error);

    const output = procedure.annotations.readOnlyHint
      ? await procedure.handler(userCtx, parsed.data)
      : await ctx.db.transaction(async (tx) => {
          const txCtx: UserContext = { ...userCtx, db: tx };
          await ensureUser(tx, { id: userCtx.actor.userId, email: userCtx.actor.email, name: userCtx.actor.name });
          return procedure.handler(txCtx, parsed.data);
        });
    const result = procedure.output.parse(output);
    log.info({ durationMs: round(performance.now() - started), outcome: "ok" }, "procedure");
    return result;
  } catch (error) {
    const appError = toAppError(error);
    const durationMs = round(performance.now() - started);
    if (appError.code === "internal") {
      log.error({ durationMs, outcome: "internal", err: error }, "procedure failed");
    } else {
      log.info({ durationMs, outcome: appError.code }, "procedure refused");
    }
    throw appError;
  }
}

function requireUser(ctx: Context): UserContext {
  if (ctx.actor.kind !== "user") throw new AppError("unauthorized", "Sign in to use this.");
  return ctx as UserContext;
}

export function validationError(error: z.ZodError): AppError {
  const issues: ValidationIssue[] = error.issues.slice(0, 20).map((issue) => ({
    field: issue.path.map(String).join("."),
    message: issue.message,
  }));
  const fields = [...new Set(issues.map((i) => i.field || "input"))];
  return new AppError("validation", `Invalid ${fields.join(", ")}: ${issues[0]?.message ?? "invalid input"}.`, {
    issues,
  });
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
