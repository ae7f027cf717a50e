import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { AppDeps } from "../app";
import { bearerTokenOf } from "../auth/bearer";
import { devActor } from "../auth/dev";
import { bearerChallenge } from "../auth/protected-resource";
import type { UserActor } from "../context";
import { AppError } from "../errors";
import { contextFor, jsonResponse, requestIdOf, withRequestId } from "../http";
import { BodyTooLargeError, forbiddenResponse, MAX_BODY_BYTES, refusedOrigin, withBufferedBody } from "../http-guard";
import { describeInternal } from "../run-procedure";
import { buildMcpServer } from "./server";

/** POST /mcp: check Host and Origin, authenticate, read the body (capped), then serve it statelessly. */
export function createMcpHandler(getDeps: () => Promise<AppDeps>) {
  return async function handleMcp(request: Request): Promise<Response> {
    const requestId = requestIdOf(request);
    let deps: AppDeps;
    try {
      deps = await getDeps();
    } catch {
      return jsonRpcError(503, "The service is starting or its database is unavailable.", requestId);
    }
    const log = deps.log.child({ requestId });
    const refusal = refusedOrigin(request, deps.env);
    if (refusal) {
      log.info({ outcome: "forbidden_origin" }, "mcp request refused");
      return forbiddenResponse(refusal, requestId, "jsonrpc");
    }

    let actor: UserActor;
    try {
      actor = await authenticate(request, deps);
    } catch (error) {
      const message = error instanceof AppError ? error.message : "Authentication failed.";
      log.info({ outcome: "unauthorized", reason: message }, "mcp request refused");
      const hadToken = bearerTokenOf(request) !== undefined;
      return jsonResponse(
        { jsonrpc: "2.0", id: null, error: { code: -32001, message, data: { code: "unauthorized", requestId } } },
        {
          status: 401,
          requestId,
          headers: {
            "www-authenticate": bearerChallenge(
              deps.env,
              hadToken ? { code: "invalid_token", description: message } : undefined,
            ),
          },
        },
      );
    }

    if (request.method !== "POST") {
      // Stateless: no server-initiated SSE stream and no sessions to delete.
      return jsonRpcError(405, "Method not allowed: this MCP endpoint is stateless, use POST.", requestId, {
        allow: "POST",
      });
    }

    let buffered: Request;
    try {
      buffered = await withBufferedBody(request);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return jsonResponse(
        { jsonrpc: "2.0", id: null, error: { code: -32600, message: `The request is too large (at most ${MAX_BODY_BYTES} bytes).` } },
        { status: 413, requestId },
      );
    }

    const ctx = contextFor(deps, actor, requestId);
    const server = buildMcpServer(ctx, deps.env);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      maxRequestBodySize: MAX_BODY_BYTES,
    });
    try {
      await server.connect(transport);
      const response = await transport.handleRequest(buffered);
      return withRequestId(response, requestId);
    } catch (error) {
      log.error({ error: describeInternal(error) }, "mcp transport failed");
      return jsonRpcError(500, "Internal error.", requestId);
    } finally {
      void transport.close();
      void server.close();
    }
  };
}

async function authenticate(request: Request, deps: AppDeps): Promise<UserActor> {
  if (!deps.verifier) return devActor("mcp");
  const token = bearerTokenOf(request);
  if (!token) throw new AppError("unauthorized", "Sign in to use Stylist: this request has no access token.");
  const verified = await deps.verifier.verify(token);
  return { kind: "user", userId: verified.sub, scopes: verified.scopes, email: verified.email, name: verified.name, via: "mcp" };
}

function jsonRpcError(status: number, message: string, requestId: string, headers?: Record<string, string>) {
  return jsonResponse(
    { jsonrpc: "2.0", id: null, error: { code: -32000, message, data: { requestId } } },
    { status, requestId, headers },
  );
}
