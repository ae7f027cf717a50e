import type { Client } from "@modelcontextprotocol/sdk/client/index.js";

export interface ToolOutcome<T = Record<string, unknown>> {
  isError: boolean;
  data: T;
  error?: { code: string; message: string; hint?: string; issues?: Array<{ field: string; message: string }>; missingScopes?: string[] };
  meta?: Record<string, unknown>;
  /** The first text block: the line the model relays. */
  summary?: string;
}

export async function callTool<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<ToolOutcome<T>> {
  const result = await client.callTool({ name, arguments: args });
  return {
    isError: result.isError === true,
    data: (result.structuredContent ?? {}) as T,
    error: result.isError ? toolErrorOf(result) : undefined,
    meta: result._meta as Record<string, unknown> | undefined,
    summary: (result.content as Array<{ type: string; text?: string }> | undefined)?.[0]?.text,
  };
}

/** The structured error an error result carries as JSON in its content (it has no structuredContent). */
export function toolErrorOf(result: unknown): ToolOutcome["error"] {
  const content = (result as { content?: unknown } | null)?.content;
  const texts = (Array.isArray(content) ? content : []) as Array<{ type: string; text?: string }>;
  for (const block of texts) {
    if (block.type !== "text" || !block.text?.startsWith("{")) continue;
    const parsed = JSON.parse(block.text) as { error?: ToolOutcome["error"] };
    if (parsed.error) return parsed.error;
  }
  throw new Error(`no structured error in ${JSON.stringify(content)}`);
}

/** Fails the test with the tool's own error when a call that should succeed did not. */
export async function callOk<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown>) {
  const outcome = await callTool<T>(client, name, args);
  if (outcome.isError) throw new Error(`${name} failed: ${JSON.stringify(outcome.error)}`);
  return outcome.data;
}

/** Headers of a raw Streamable HTTP request to /mcp, as the SDK transport sends them. */
export function mcpHeaders(token?: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": "2025-06-18",
    ...extra,
  };
}
