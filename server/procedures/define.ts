import type { z } from "zod";
import type { Scope } from "../auth/scopes";
import type { UserContext } from "../context";

export interface ProcedureAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  openWorldHint: boolean;
  idempotentHint?: boolean;
}

/**
 * One operation of the domain, defined once and served at both doors: the MCP adapter registers it as
 * a tool named `name`, the tRPC adapter mounts it at the same dotted path. Read-only procedures become
 * tRPC queries, the rest mutations (which run inside one transaction with their audit event).
 */
export interface Procedure<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  A extends ProcedureAnnotations = ProcedureAnnotations,
> {
  name: `${string}.${string}`;
  title: string;
  /** Written for a model: when to call it, what it returns, what it does not do. */
  description: string;
  scopes: readonly Scope[];
  input: I;
  output: O;
  annotations: A;
  handler: (ctx: UserContext, input: z.output<I>) => Promise<z.input<O>>;
}

export function defineProcedure<I extends z.ZodType, O extends z.ZodType, A extends ProcedureAnnotations>(
  def: Procedure<I, O, A>,
): Procedure<I, O, A> {
  return def;
}

/** Read-only procedures are tRPC queries; everything else is a mutation. */
export type ProcedureKind<P> = P extends { annotations: { readOnlyHint: true } } ? "query" : "mutation";

/** Hints shared by most tools: our tools only touch our own first-party data. */
export const READ_ONLY = {
  readOnlyHint: true,
  destructiveHint: false,
  openWorldHint: false,
  idempotentHint: true,
} as const satisfies ProcedureAnnotations;
export const WRITE_IDEMPOTENT = {
  readOnlyHint: false,
  destructiveHint: false,
  openWorldHint: false,
  idempotentHint: true,
} as const satisfies ProcedureAnnotations;
