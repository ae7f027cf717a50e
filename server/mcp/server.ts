import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Context } from "../context";
import type { Env } from "../env";
import { toAppError } from "../errors";
import { proceduresAt } from "../procedures";
import type { Procedure } from "../procedures/define";
import { runProcedure } from "../run-procedure";
import { errorResult, successResult } from "./results";
import { toolDefinition } from "./tools";
import { widgetNames, widgetResource } from "./widgets";

const mcpProcedures = proceduresAt("mcp");
const proceduresByName = new Map<string, Procedure>(mcpProcedures.map((p) => [p.name, p]));
const toolList = mcpProcedures.map(toolDefinition);

// The SDK builds a fresh Ajv (with its formats) for every Server unless given one; one server per request
// made that the largest cost of a tool call. Ajv is safe to share: it only caches compiled schemas.
const jsonSchemaValidator = new AjvJsonSchemaValidator();

export const SERVER_INFO = { name: "stylist", title: "Stylist", version: "0.2.0" } as const;

/**
 * An MCP server for one request (stateless Streamable HTTP): every MCP-door procedure is a tool, every
 * widget a resource, and every tool call goes through runProcedure with the request's context.
 */
export function buildMcpServer(ctx: Context, env: Env): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: { listChanged: false }, resources: { listChanged: false } },
    jsonSchemaValidator,
    instructions:
      "Stylist keeps the user's style profile and searches a fashion catalog. Read the profile before " +
      "recommending; prices are USD.",
  });
  const resources = widgetNames.map((name) => widgetResource(name, env.appBaseUrl));

  handle(server, ListToolsRequestSchema, async () => ({ tools: toolList }));

  handle(server, CallToolRequestSchema, async (request) => {
    const procedure = proceduresByName.get(request.params.name);
    if (!procedure) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    try {
      return successResult(procedure, await runProcedure(procedure, ctx, request.params.arguments ?? {}));
    } catch (error) {
      return errorResult(toAppError(error), ctx.requestId, env);
    }
  });

  handle(server, ListResourcesRequestSchema, async () => ({ resources: resources.map((r) => r.listing) }));
  handle(server, ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: [] }));
  handle(server, ReadResourceRequestSchema, async (request) => {
    const resource = resources.find((r) => r.listing.uri === request.params.uri);
    // -32002 is the specification's "resource not found".
    if (!resource) throw new McpError(-32002, `Unknown resource: ${request.params.uri}`, { uri: request.params.uri });
    return { contents: [resource.contents] };
  });

  return server;
}

/**
 * Registers `handler` behind a lenient request schema and validates the real one itself: the SDK's own
 * parse failure is answered as -32603 Internal error, while malformed params are the caller's -32602.
 */
function handle<S extends z.ZodObject<{ method: z.ZodLiteral<string> }>, R>(
  server: Server,
  schema: S,
  handler: (request: z.output<S>) => Promise<R>,
): void {
  const method = schema.shape.method.value;
  const lenient = z.object({ method: z.literal(method), params: z.unknown().optional() });
  server.setRequestHandler(lenient as never, (async (request: unknown) => {
    const parsed = schema.safeParse(request);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join(".") || "params";
      throw new McpError(ErrorCode.InvalidParams, `Invalid ${method} params: ${where} ${parsed.error.issues[0]?.message ?? ""}`.trim());
    }
    return handler(parsed.data);
  }) as never);
}
