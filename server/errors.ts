/**
 * The errors a caller can meet, one type with a documented code. Each door maps them once:
 * MCP to a tool result with `isError` and `structuredContent.error`, tRPC to its error codes.
 */

export const ERROR_CODES = {
  /** The caller is not signed in, or the token is not valid. */
  unauthorized: { status: 401, hint: "Sign in again, then retry." },
  /** Signed in, but the token lacks a scope the operation needs. */
  insufficient_scope: { status: 403, hint: "Grant the missing permissions, then retry." },
  /** The input is malformed; `issues` names each bad field. Nothing was changed. */
  validation: { status: 400, hint: "Fix the named fields and retry." },
  /** No such record for this user (including records that belong to someone else). */
  not_found: { status: 404, hint: "Check the id; search or list to find a valid one." },
  /** The request clashes with the current state, e.g. an idempotency key reused with other input. */
  conflict: { status: 409, hint: "Use a new idempotency key, or resend the original request." },
  /** The operation needs a consent the user has not granted. */
  consent_required: { status: 403, hint: "Ask the user to grant consent on the consent page." },
  /** The basket or plan is over the user's budget (a plan's refusal says what to change in its own hint). */
  budget_exceeded: { status: 422, hint: "Remove items, raise the budget, or allow going over budget." },
  /** Too many requests. */
  rate_limited: { status: 429, hint: "Wait a moment, then retry." },
  /** Something failed on our side; `requestId` identifies it in our logs. */
  internal: { status: 500, hint: "Retry later; if it persists, report the request id." },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ValidationIssue {
  /** Dotted path of the bad field, e.g. `address.postalCode`; empty for the whole input. */
  field: string;
  message: string;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  hint: string;
  issues?: ValidationIssue[];
  missingScopes?: string[];
  requestId?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues?: ValidationIssue[];
  readonly missingScopes?: string[];
  /** What to do next, when the code's general hint does not fit this refusal. */
  readonly hint?: string;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { issues?: ValidationIssue[]; missingScopes?: string[]; hint?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = "AppError";
    this.code = code;
    this.issues = extra.issues;
    this.missingScopes = extra.missingScopes;
    this.hint = extra.hint;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  toBody(requestId?: string): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint ?? ERROR_CODES[this.code].hint,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.missingScopes ? { missingScopes: this.missingScopes } : {}),
      ...(requestId ? { requestId } : {}),
    };
  }
}

export const notFound = (what: string, id: string) => new AppError("not_found", `No ${what} with id ${id}.`);

/** Anything that is not already an AppError becomes `internal`: the detail goes to the log, not the caller. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError("internal", "Something went wrong on our side.", { cause: error });
}
