import { randomUUID } from "node:crypto";
import type { AppDeps } from "./app";
import type { Actor, Context } from "./context";

export const REQUEST_ID_HEADER = "x-request-id";

/** Reuses a caller's request id when it is a sane token (a load balancer's), otherwise makes one. */
export function requestIdOf(request: Request): string {
  const incoming = request.headers.get(REQUEST_ID_HEADER);
  return incoming && /^[A-Za-z0-9._:-]{8,128}$/.test(incoming) ? incoming : randomUUID();
}

export function contextFor(deps: AppDeps, actor: Actor, requestId: string): Context {
  return {
    actor,
    db: deps.database.db,
    log: deps.log.child({ requestId }),
    requestId,
    now: () => new Date(),
    appBaseUrl: deps.env.appBaseUrl,
    payments: deps.payments,
    secrets: { appSecret: deps.env.appSecret, checkoutRedirectOrigins: deps.env.checkoutRedirectOrigins },
    photos: deps.photos,
  };
}

export function withRequestId(response: Response, requestId: string): Response {
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

export function jsonResponse(body: unknown, init: ResponseInit & { requestId: string }): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  headers.set(REQUEST_ID_HEADER, init.requestId);
  return new Response(JSON.stringify(body), { status: init.status, headers });
}
