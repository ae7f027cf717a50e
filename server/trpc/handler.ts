import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { AppDeps } from "../app";
import { bearerTokenOf } from "../auth/bearer";
import type { Actor, UserActor } from "../context";
import { AppError } from "../errors";
import { contextFor, jsonResponse, requestIdOf, REQUEST_ID_HEADER } from "../http";
import { BodyTooLargeError, forbiddenResponse, MAX_BODY_BYTES, MAX_UPLOAD_BODY_BYTES, refusedOrigin, withBufferedBody } from "../http-guard";
import { describeInternal } from "../run-procedure";
import { appRouter } from "./router";

/** Resolves the companion site's signed-in user from the request (Auth0 session, or dev sign-in). */
export type SiteSessionResolver = (request: Request) => Promise<UserActor | null>;

/** The site batches at most this many calls in one request (its httpBatchLink uses the same limit). */
export const MAX_BATCH_SIZE = 10;
const ANONYMOUS: Actor = { kind: "anonymous", via: "site" };

/**
 * /api/trpc: the companion site calls it with its session cookie; API clients may send the same bearer
 * tokens as /mcp. Either way the caller is one user, and runProcedure checks scopes.
 */
export function createTrpcHandler(getDeps: () => Promise<AppDeps>, siteSession: SiteSessionResolver) {
  return async function handleTrpc(request: Request): Promise<Response> {
    const requestId = requestIdOf(request);
    let deps: AppDeps;
    try {
      deps = await getDeps();
    } catch {
      return jsonResponse({ error: { code: "internal", message: "The service is unavailable.", requestId } }, { status: 503, requestId });
    }
    const refusal = refusedOrigin(request, deps.env);
    if (refusal) return forbiddenResponse(refusal, requestId, "trpc");
    let actor: Actor;
    try {
      actor = await actorFor(request, deps, siteSession);
    } catch (error) {
      const appError = error instanceof AppError ? error : new AppError("unauthorized", "Sign in again.");
      return jsonResponse({ error: appError.toBody(requestId) }, { status: 401, requestId });
    }
    let buffered: Request;
    // Photo uploads carry one image each; every other call, alone or batched, stays under 1 MB.
    const paths = new URL(request.url).pathname.slice("/api/trpc/".length).split(",");
    const limit = paths.every((p) => p === "photos.upload") ? MAX_UPLOAD_BODY_BYTES : MAX_BODY_BYTES;
    try {
      buffered = await withBufferedBody(request, limit);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      const tooLarge = new AppError("validation", `The request is too large (at most ${limit} bytes).`);
      return jsonResponse({ error: tooLarge.toBody(requestId) }, { status: 413, requestId });
    }
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: buffered,
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: () => contextFor(deps, actor, requestId),
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR" && !(error.cause instanceof AppError)) {
          deps.log.error({ requestId, path, error: describeInternal(error) }, "trpc request failed");
        }
      },
    });
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  };
}

async function actorFor(request: Request, deps: AppDeps, siteSession: SiteSessionResolver): Promise<Actor> {
  const token = bearerTokenOf(request);
  if (token !== undefined && deps.verifier) {
    const verified = await deps.verifier.verify(token);
    return { kind: "user", userId: verified.sub, scopes: verified.scopes, email: verified.email, name: verified.name, via: "site" };
  }
  return (await siteSession(request)) ?? ANONYMOUS;
}
