import { isLoopbackHost, type Env } from "./env";
import { jsonResponse } from "./http";

/** The largest body either machine door reads (MCP JSON-RPC, tRPC). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** One photo (at most 15 MB, as base64 in JSON): the limit of a tRPC request that only uploads photos. */
export const MAX_UPLOAD_BODY_BYTES = 21 * 1024 * 1024;

/**
 * DNS-rebinding and cross-site protection for the machine doors. A page the user visits may point its
 * own name at 127.0.0.1 (or send a cross-site request to the real host): such a request carries a
 * foreign Host or Origin, and is refused before anything runs. In dev mode only loopback names pass;
 * in oauth mode only the configured public origin and ALLOWED_ORIGINS. Server-side clients (ChatGPT,
 * the Inspector CLI) send no Origin and are judged by Host alone.
 */
export function refusedOrigin(request: Request, env: Env): string | null {
  const host = request.headers.get("host");
  if (!host) return "The request has no Host header.";
  if (!isAllowed(`http://${host}`, env, "host")) return `Requests for host ${host} are not served here.`;
  const origin = request.headers.get("origin");
  if (origin !== null && !isAllowed(origin, env, "origin")) return `Requests from origin ${origin} are not allowed.`;
  return null;
}

function isAllowed(value: string, env: Env, what: "host" | "origin"): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.origin === "null" || url.username || url.password) return false;
  if (env.auth.mode === "dev") return isLoopbackHost(url.hostname);
  // Host carries no scheme: compare host[:port] only; an Origin must match scheme too.
  return env.allowedOrigins.some((allowed) => {
    const a = new URL(allowed);
    return what === "host" ? a.host === url.host : a.origin === url.origin;
  });
}

export function forbiddenResponse(message: string, requestId: string, shape: "jsonrpc" | "trpc"): Response {
  const body =
    shape === "jsonrpc"
      ? { jsonrpc: "2.0", id: null, error: { code: -32000, message, data: { code: "forbidden_origin", requestId } } }
      : { error: { code: "forbidden_origin", message, requestId } };
  return jsonResponse(body, { status: 403, requestId });
}

export class BodyTooLargeError extends Error {}

/**
 * Reads the body, declared length or chunked, and stops at `limit` bytes: a caller cannot make the
 * server hold more than that in memory. Returns a request with the same headers and the buffered body.
 */
export async function withBufferedBody(request: Request, limit = MAX_BODY_BYTES): Promise<Request> {
  if (request.method === "GET" || request.method === "HEAD" || !request.body) return request;
  const declared = Number(request.headers.get("content-length") ?? "0");
  // A huge declared body is refused unread; a modest overflow is read and dropped below, so the client
  // gets to read the 413 instead of a reset connection.
  if (declared > limit * 8) throw new BodyTooLargeError();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Past the limit nothing is kept. A modest overflow is read and dropped so the client, still
      // uploading, gets to read our 413 instead of a reset connection; a huge one is cut off.
      chunks.length = 0;
      if (size > limit * 8) {
        await reader.cancel().catch(() => {});
        throw new BodyTooLargeError();
      }
      continue;
    }
    chunks.push(value);
  }
  if (size > limit) throw new BodyTooLargeError();
  const body = Buffer.concat(chunks);
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  headers.delete("transfer-encoding");
  return new Request(request.url, { method: request.method, headers, body, signal: request.signal });
}
