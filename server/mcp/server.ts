import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";
import { bearerChallenge } from "../auth/protected-resource";
import type { Context } from "../context";
import type { Env } from "../env";
import { toAppError, type AppError } from "../errors";
import { allProcedures } from "../procedures";
import type { Procedure } from "../procedures/define";
import { runProcedure } from "../run-procedure";
import { toolDefinition } from "./tools";

const proceduresByName = new Map<string, Procedure>(allProcedures.map((p) => [p.name, p as unknown as Procedure]));
const toolList = allProcedures.map((p) => toolDefinition(p as unknown as Procedure));

// The SDK builds a fresh Ajv (with its formats) for every Server unless given one; one server per request
// made that the largest cost of a tool call. Ajv is safe to share: it only caches compiled schemas.
const jsonSchemaValidator = new AjvJsonSchemaValidator();

export const SERVER_INFO = { name: "stylist", title: "Stylist", version: "0.1.0" } as const;

/**
 * An MCP server for one request (stateless Streamable HTTP): every registry procedure is a tool, and
 * every tool call goes through runProcedure with the request's authenticated context.
 */
export function buildMcpServer(ctx: Context, env: Env): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: { listChanged: false } },
    jsonSchemaValidator,
    instructions:
      "Stylist keeps the user's style profile and searches a fashion catalog. Read the profile before " +
      "recommending; prices are USD.",
  });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: toolList }));

  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const procedure = proceduresByName.get(request.params.name);
    if (!procedure) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    try {
      const output = (await runProcedure(procedure, ctx, request.params.arguments ?? {})) as Record<string, unknown>;
      return { content: [{ type: "text", text: JSON.stringify(output) }], structuredContent: output };
    } catch (error) {
      return toolError(toAppError(error), ctx, env);
    }
  });

  return server;
}

function toolError(error: AppError, ctx: Context, env: Env): CallToolResult {
  const body = error.toBody(ctx.requestId);
  const result: CallToolResult = {
    isError: true,
    content: [{ type: "text", text: `${body.message} ${body.hint}` }],
    structuredContent: { error: body },
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
