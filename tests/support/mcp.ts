import type { Client } from "@modelcontextprotocol/sdk/client/index.js";

export interface ToolOutcome<T = Record<string, unknown>> {
  isError: boolean;
  data: T;
  error?: { code: string; message: string; issues?: Array<{ field: string; message: string }>; missingScopes?: string[] };
  meta?: Record<string, unknown>;
}

export async function callTool<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<ToolOutcome<T>> {
  const result = await client.callTool({ name, arguments: args });
  const structured = (result.structuredContent ?? {}) as Record<string, unknown>;
  return {
    isError: result.isError === true,
    data: structured as T,
    error: result.isError ? (structured.error as ToolOutcome["error"]) : undefined,
    meta: result._meta as Record<string, unknown> | undefined,
  };
}

/** Fails the test with the tool's own error when a call that should succeed did not. */
export async function callOk<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown>) {
  const outcome = await callTool<T>(client, name, args);
  if (outcome.isError) throw new Error(`${name} failed: ${JSON.stringify(outcome.error)}`);
  return outcome.data;
}
