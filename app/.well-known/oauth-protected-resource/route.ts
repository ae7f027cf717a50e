import { protectedResourceMetadataResponse } from "@/server/auth/metadata-route";

export const dynamic = "force-dynamic";

export const GET = protectedResourceMetadataResponse;
