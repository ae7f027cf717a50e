import { initTRPC, TRPCError, type TRPCMutationProcedure, type TRPCQueryProcedure } from "@trpc/server";
import type { z } from "zod";
import type { Context } from "../context";
import { AppError, toAppError, type ErrorBody, type ErrorCode } from "../errors";
import { registry, type Registry } from "../procedures";
import type { Procedure } from "../procedures/define";
import { runProcedure } from "../run-procedure";

const TRPC_CODES: Record<ErrorCode, TRPCError["code"]> = {
  unauthorized: "UNAUTHORIZED",
  insufficient_scope: "FORBIDDEN",
  validation: "BAD_REQUEST",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  consent_required: "FORBIDDEN",
  budget_exceeded: "UNPROCESSABLE_CONTENT",
  rate_limited: "TOO_MANY_REQUESTS",
  internal: "INTERNAL_SERVER_ERROR",
};

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const appError = error.cause instanceof AppError ? error.cause : null;
    const body: ErrorBody | null = appError ? appError.toBody(ctx?.requestId) : null;
    // Never ship a stack trace; `app` carries the same structured error as the MCP door.
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message: body?.message ?? shape.message, data: { ...data, app: body } };
  },
});

type TrpcProcedureFor<P> =
  P extends { input: infer I extends z.ZodType; output: infer O extends z.ZodType; kind: infer Kind }
    ? Kind extends "query"
      ? TRPCQueryProcedure<{ input: z.input<I>; output: z.output<O>; meta: object }>
      : TRPCMutationProcedure<{ input: z.input<I>; output: z.output<O>; meta: object }>
    : never;

type RouterRecordFor<R> = { [Domain in keyof R]: { [Name in keyof R[Domain]]: TrpcProcedureFor<R[Domain][Name]> } };

/**
 * `trpc.profile.get` is `profile.get` (procedures served at the site door only): the same registry entry, run by the same runProcedure. Input is
 * validated there (one place, one error shape), so tRPC sees it as unknown.
 */
function toTrpcProcedure(procedure: Procedure) {
  const base = t.procedure.input((raw: unknown) => raw);
  const resolve = async ({ ctx, input }: { ctx: Context; input: unknown }) => {
    try {
      return await runProcedure(procedure, ctx, input);
    } catch (error) {
      const appError = toAppError(error);
      throw new TRPCError({ code: TRPC_CODES[appError.code], message: appError.message, cause: appError });
    }
  };
  return procedure.kind === "query" ? base.query(resolve) : base.mutation(resolve);
}

function buildRecord(source: Registry) {
  return Object.fromEntries(
    Object.entries(source).map(([domain, procedures]) => [
      domain,
      t.router(
        Object.fromEntries(
          Object.entries(procedures)
            .filter(([, p]) => (p as unknown as Procedure).doors.includes("site"))
            .map(([name, p]) => [name, toTrpcProcedure(p as unknown as Procedure)]),
        ),
      ),
    ]),
  ) as unknown as RouterRecordFor<Registry>;
}

export const appRouter = t.router(buildRecord(registry));
export type AppRouter = typeof appRouter;
