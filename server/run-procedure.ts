import type { z } from "zod";
import { missingScopes } from "./auth/scopes";
import type { Actor, Context, UserContext } from "./context";
import { AppError, toAppError, type ValidationIssue } from "./errors";
import { withIdempotency } from "./idempotency";
import type { ActorKind, ActorOf, Procedure } from "./procedures/define";
import { withTransaction } from "./transaction";
import { findUnstorableString } from "./validation";

/**
 * The one path every call takes, whichever door or actor it came from: check the actor, the scopes
 * (people only: system jobs and verified webhooks are trusted code), validate, run as the procedure
 * declares (transaction, idempotency), validate the output, log. Errors leave as AppError; anything
 * unexpected becomes `internal` and is logged by kind with the request id, never with the input.
 */
export async function runProcedure<I extends z.ZodType, O extends z.ZodType>(
  p: Procedure<I, O>,
  ctx: Context,
  rawInput: unknown,
): Promise<z.output<O>> {
  const started = performance.now();
  const log = ctx.log.child({ procedure: p.name, via: ctx.actor.via });
  try {
    const actorCtx = authorize(p, ctx);
    const input = parseInput(p.input, rawInput);
    const output = await execute(p, actorCtx, input);
    log.info({ durationMs: round(performance.now() - started), outcome: "ok" }, "procedure");
    return output;
  } catch (error) {
    const appError = toAppError(error);
    const durationMs = round(performance.now() - started);
    if (appError.code === "internal") {
      log.error({ durationMs, outcome: "internal", error: describeInternal(error) }, "procedure failed");
    } else {
      log.info({ durationMs, outcome: appError.code }, "procedure refused");
    }
    throw appError;
  }
}

function authorize(p: Procedure, ctx: Context): Context<ActorOf<ActorKind>> {
  const actor: Actor = ctx.actor;
  if (actor.kind === "anonymous" || !p.actors.includes(actor.kind)) {
    throw new AppError("unauthorized", "Sign in to use this.");
  }
  if (actor.kind === "user") {
    const missing = missingScopes(p.scopes, actor.scopes);
    if (missing.length > 0) {
      throw new AppError("insufficient_scope", `This needs the ${missing.join(", ")} permission.`, { missingScopes: missing });
    }
  }
  return ctx as Context<ActorOf<ActorKind>>;
}

/** Validation, after refusing what Postgres cannot store: a NUL or a lone surrogate never reaches it. */
export function parseInput<I extends z.ZodType>(schema: I, rawInput: unknown): z.output<I> {
  const unstorable = findUnstorableString(rawInput ?? {});
  if (unstorable !== null) {
    const field = unstorable || "input";
    throw new AppError("validation", `Invalid ${field}: it contains a character that cannot be stored (a NUL byte or a broken surrogate).`, {
      issues: [{ field: unstorable, message: "contains a NUL byte or an unpaired surrogate" }],
    });
  }
  const parsed = schema.safeParse(rawInput ?? {});
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

async function execute<I extends z.ZodType, O extends z.ZodType>(
  p: Procedure<I, O>,
  ctx: Context<ActorOf<ActorKind>>,
  input: z.output<I>,
): Promise<z.output<O>> {
  const run = async (c: Context<ActorOf<ActorKind>>) => p.output.parse(await p.handler(c, input)) as z.output<O>;
  if (p.transaction === "none") return run(ctx);
  return withTransaction(ctx, async (tx) => {
    const key = (input as { idempotencyKey?: unknown }).idempotencyKey;
    if (!p.idempotency || typeof key !== "string" || tx.actor.kind !== "user") return run(tx);
    const { idempotencyKey: _key, ...request } = input as Record<string, unknown>;
    const idempotency = p.idempotency;
    return withIdempotency(tx as UserContext, { procedure: p.name, key, request }, () => run(tx), {
      redact: idempotency.redact ? (response) => idempotency.redact!(response, tx) : undefined,
      restore: idempotency.restore ? (stored) => idempotency.restore!(stored, tx) : undefined,
    });
  });
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

/** What an internal failure was, for the log: its kind and code, never its message (SQL and parameters). */
export function describeInternal(error: unknown): Record<string, unknown> {
  const root = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const deeper = root instanceof Error && root.cause instanceof Error ? root.cause : root;
  const code = (deeper as { code?: unknown } | null)?.code;
  return {
    kind: deeper instanceof Error ? deeper.name : typeof deeper,
    ...(typeof code === "string" ? { code } : {}),
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
