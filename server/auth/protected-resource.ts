import type { Env } from "../env";
import { SCOPES } from "./scopes";

/** RFC 9728: metadata for resource https://host/mcp lives at https://host/.well-known/oauth-protected-resource/mcp. */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/+$/, "");
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

/** Built from configuration only, never from the request's Host header (which a caller controls). */
export function protectedResourceMetadata(env: Env) {
  if (env.auth.mode !== "oauth") return null;
  return {
    resource: env.mcpResource,
    authorization_servers: [env.auth.issuer],
    scopes_supported: [...SCOPES],
    bearer_methods_supported: ["header"],
    resource_name: "Stylist",
    resource_documentation: `${env.appBaseUrl}/`,
  };
}

export function bearerChallenge(
  env: Env,
  error?: { code: "invalid_token" | "insufficient_scope"; description: string; scopes?: string[] },
): string {
  const parts = [`resource_metadata="${resourceMetadataUrl(env.mcpResource)}"`];
  if (error) {
    parts.push(`error="${error.code}"`);
    parts.push(`error_description="${error.description.replace(/["\\]/g, "")}"`);
    if (error.scopes?.length) parts.push(`scope="${error.scopes.join(" ")}"`);
  }
  return `Bearer ${parts.join(", ")}`;
}
