import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { bearerChallenge } from "../auth/protected-resource";
import type { Env } from "../env";
import type { AppError } from "../errors";
import type { Procedure } from "../procedures/define";

/** What one result may send the model (structuredContent, and the same JSON again as text). */
export const MAX_MODEL_JSON_CHARS = 24_000;

/**
 * A successful call as MCP clients expect it: `structuredContent` valid against the tool's outputSchema
 * (the SDK Client, the Inspector and ChatGPT check), `content` = a one-line summary the model can relay
 * followed by the same JSON (the specification's advice for clients that ignore structuredContent),
 * and widget-only fields in the result's `_meta`, where the model never reads them. A list cut to fit
 * the model's budget travels whole in `_meta` for the widget, under its own name.
 */
export function successResult(procedure: Procedure, output: unknown): CallToolResult {
  const { mcp } = procedure;
  const record = (output ?? {}) as Record<string, unknown>;
  let structured: Record<string, unknown> = record;
  let widgetMeta: Record<string, unknown> | undefined;
  if (mcp.widgetOnly?.length) {
    structured = { ...record };
    widgetMeta = {};
    for (const key of mcp.widgetOnly) {
      widgetMeta[key] = record[key];
      delete structured[key];
    }
  }
  let summary = mcp.summary ? mcp.summary(output as never) : `${procedure.title}: done.`;
  const cut = capList(structured, mcp.list);
  if (cut) {
    // The widget still gets the whole list (a map draws every cluster); only the model's copy is cut.
    if (mcp.widget && mcp.list) widgetMeta = { ...widgetMeta, [mcp.list]: structured[mcp.list] };
    structured = cut.structured;
    summary += ` Only the first ${cut.shown} of ${cut.total} are shown: ${mcp.narrowHint ?? "narrow the request"}.`;
  }
  const result: CallToolResult = {
    content: [
      { type: "text", text: summary },
      { type: "text", text: JSON.stringify(structured) },
    ],
    structuredContent: structured,
  };
  if (widgetMeta) result._meta = widgetMeta;
  return result;
}

/** Drops items from the end of `list` until the JSON fits; null when nothing had to go. */
function capList(structured: Record<string, unknown>, list: string | undefined) {
  if (JSON.stringify(structured).length <= MAX_MODEL_JSON_CHARS) return null;
  const items = list ? structured[list] : undefined;
  if (!list || !Array.isArray(items)) return null;
  let shown = items.length;
  let next = structured;
  while (shown > 0 && JSON.stringify(next).length > MAX_MODEL_JSON_CHARS) {
    shown = Math.floor(shown * 0.75);
    next = { ...structured, [list]: items.slice(0, shown) };
  }
  return { structured: next, shown, total: items.length };
}

/**
 * A refused or failed call. No `structuredContent`: it would have to match the tool's outputSchema, and a
 * client that validates would throw instead of showing the error. The error travels in `content`: a line
 * the model can relay, then the structured error as JSON (code, message, hint, fields, missing scopes).
 */
export function errorResult(error: AppError, requestId: string, env: Env): CallToolResult {
  const body = error.toBody(requestId);
  const result: CallToolResult = {
    isError: true,
    content: [
      { type: "text", text: `Error (${body.code}): ${body.message} ${body.hint}` },
      { type: "text", text: JSON.stringify({ error: body }) },
    ],
  };
  if (error.code === "insufficient_scope" && env.auth.mode === "oauth") {
    // ChatGPT reads this to offer the user a re-authorization with the missing scopes.
    result._meta = {
      "mcp/www_authenticate": [
        bearerChallenge(env, { code: "insufficient_scope", description: error.message, scopes: error.missingScopes }),
      ],
    };
  }
  return result;
}
