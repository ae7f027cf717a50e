import { protectedResourceMetadataResponse } from "@/server/auth/metadata-route";
import { env } from "@/server/env";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return protectedResourceMetadataResponse(env());
}
