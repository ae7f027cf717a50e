import { z } from "zod";
import type { Scope } from "../auth/scopes";
import type { Actor, Context } from "../context";
import type { WidgetName } from "../mcp/widgets";

export interface ProcedureAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  openWorldHint: boolean;
  idempotentHint?: boolean;
}

/** Where a procedure is served. Approving a payment, granting consent and portal uploads are site only. */
export type Door = "mcp" | "site";
/** Who may run it: signed-in people at the doors; the job worker and CLI (`system`); verified webhooks. */
export type ActorKind = Exclude<Actor["kind"], "anonymous">;
export type ActorOf<K extends ActorKind> = Extract<Actor, { kind: K }>;

/**
 * `none`: the handler gets the plain database handle and opens `withTransaction` itself, after any slow
 * work (fetches, image models, Stripe calls), which must never run inside an open transaction.
 * `wrap`: the runner opens one transaction around the whole handler, so the change and its audit event
 * commit together. Idempotent procedures always run wrapped: the key's claim commits with the effect.
 */
export type TransactionIntent = "none" | "wrap";

/** How an MCP tool result is presented. Nothing here changes what the tRPC door returns. */
export interface McpPresentation<Output> {
  /** The widget the host renders with the result (tool `_meta.ui.resourceUri` / `openai/outputTemplate`). */
  widget?: WidgetName;
  /** Status lines the host shows while the tool runs and when it is done (at most 64 characters). */
  invoking?: string;
  invoked?: string;
  /** The widget may call this tool itself (`openai/widgetAccessible`). */
  widgetAccessible?: boolean;
  /** `["app"]` hides a widget-only tool from the model (`_meta.ui.visibility`). */
  visibility?: ReadonlyArray<"model" | "app">;
  /** One line the model can relay, leading the result's `content`. */
  summary?: (output: Output) => string;
  /** Output fields only the widget reads: moved from `structuredContent` to the result's `_meta`. */
  widgetOnly?: ReadonlyArray<keyof Output & string>;
  /** Input fields that take files the user attached in ChatGPT (`openai/fileParams`). */
  fileParams?: ReadonlyArray<string>;
  /** The array field trimmed, with a hint to narrow the request, when a result is too big for the model. */
  list?: keyof Output & string;
  /** What to narrow when the list was cut, e.g. "add filters or lower `limit`". */
  narrowHint?: string;
}

/** Keeps secrets out of stored idempotent responses: store a redacted form, rebuild it on replay. */
export interface IdempotencyDeclaration<Output> {
  redact?(output: Output, ctx: Context): unknown;
  restore?(stored: unknown, ctx: Context): Promise<Output> | Output;
}

/**
 * One operation of the domain, defined once. Each concern is declared on its own: where it is served
 * (`doors`), who may run it (`actors`), whether the runner opens a transaction (`transaction`), whether
 * it takes an idempotency key (`idempotency`), the tRPC kind (`kind`), the MCP hints (`annotations`) and
 * how an MCP result is presented (`mcp`). The handler knows nothing of doors.
 */
export interface Procedure<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  A extends ProcedureAnnotations = ProcedureAnnotations,
  K extends ActorKind = ActorKind,
  Kind extends "query" | "mutation" = "query" | "mutation",
> {
  name: `${string}.${string}`;
  title: string;
  /** Written for a model: when to call it, what it returns, what it does not do. */
  description: string;
  scopes: readonly Scope[];
  input: I;
  output: O;
  annotations: A;
  kind: Kind;
  doors: readonly Door[];
  actors: readonly K[];
  transaction: TransactionIntent;
  /** Set when the input takes an optional `idempotencyKey` that the runner honours. */
  idempotency?: IdempotencyDeclaration<z.output<O>>;
  mcp: McpPresentation<z.output<O>>;
  // Method syntax on purpose: a procedure for users only is still a Procedure for the runner.
  handler(ctx: Context<ActorOf<K>>, input: z.output<I>): Promise<z.input<O>>;
}

type Defaults = "kind" | "doors" | "actors" | "transaction" | "mcp";

/**
 * Fills in the defaults: served at both doors, run by signed-in users, read-only hints make a tRPC query
 * without a transaction, anything else a mutation wrapped in one.
 */
export function defineProcedure<
  I extends z.ZodType,
  O extends z.ZodType,
  A extends ProcedureAnnotations,
  K extends ActorKind = "user",
  Kind extends "query" | "mutation" = A extends { readOnlyHint: true } ? "query" : "mutation",
>(def: Omit<Procedure<I, O, A, K, Kind>, Defaults> & Partial<Pick<Procedure<I, O, A, K, Kind>, Defaults>>) {
  const readOnly = def.annotations.readOnlyHint;
  const procedure = {
    ...def,
    kind: def.kind ?? ((readOnly ? "query" : "mutation") as Kind),
    doors: def.doors ?? (["mcp", "site"] as const),
    actors: def.actors ?? (["user"] as unknown as readonly K[]),
    transaction: def.idempotency ? "wrap" : (def.transaction ?? (readOnly ? "none" : "wrap")),
    mcp: def.mcp ?? {},
  } satisfies Procedure<I, O, A, K, Kind>;
  assertWellFormed(procedure as unknown as Procedure);
  return procedure;
}

/** Mistakes in a definition fail at start-up (and in every test run), not at a user's first call. */
function assertWellFormed(p: Procedure): void {
  const problems: string[] = [];
  for (const [label, text] of [
    ["invoking", p.mcp.invoking],
    ["invoked", p.mcp.invoked],
  ] as const) {
    if (text !== undefined && (text.length === 0 || text.length > 64)) problems.push(`mcp.${label} must be 1-64 characters`);
  }
  if (p.idempotency) {
    const shape = p.input instanceof z.ZodObject ? (p.input.shape as Record<string, z.ZodType>) : {};
    if (!("idempotencyKey" in shape)) problems.push("declares idempotency but its input has no idempotencyKey");
  }
  if ((p.mcp.widgetOnly?.length || p.mcp.list) && !(p.output instanceof z.ZodObject)) {
    problems.push("mcp.widgetOnly and mcp.list need an object output schema");
  }
  if (p.doors.length > 0 && !p.actors.includes("user")) problems.push("a procedure served at a door must accept users");
  if (p.annotations.readOnlyHint && p.annotations.destructiveHint) problems.push("cannot be both read-only and destructive");
  if (problems.length > 0) throw new Error(`Procedure ${p.name}: ${problems.join("; ")}`);
}

/** The optional key a caller sends so that a retried request has its effect once. */
export const idempotencyKeySchema = z
  .string()
  .trim()
  .min(8, "must be at least 8 characters")
  .max(200, "must be at most 200 characters")
  .regex(/^[A-Za-z0-9._:-]+$/, "use letters, digits, '.', '_', ':' and '-'")
  .describe("A unique key per intended action; a retry with the same key returns the first result");

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
export const WRITE = {
  readOnlyHint: false,
  destructiveHint: false,
  openWorldHint: false,
  idempotentHint: false,
} as const satisfies ProcedureAnnotations;
/** Deletions and revocations: hosts ask the user to confirm before running these. */
export const DESTRUCTIVE = {
  readOnlyHint: false,
  destructiveHint: true,
  openWorldHint: false,
  idempotentHint: true,
} as const satisfies ProcedureAnnotations;
