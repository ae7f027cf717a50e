import type { Env } from "../env";
import { protectedResourceMetadata } from "./protected-resource";

/** GET handler for RFC 9728 protected resource metadata (served at the root and the /mcp path). */
export function protectedResourceMetadataResponse(config: Env): Response {
  const metadata = protectedResourceMetadata(config);
  if (!metadata) {
    return Response.json(
      { error: "not_found", error_description: "OAuth is off (AUTH_MODE=dev): /mcp needs no token." },
      { status: 404 },
    );
  }
  return Response.json(metadata, {
    headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
  });
}
