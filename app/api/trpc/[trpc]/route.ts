import { getApp } from "@/server/app";
import { siteActor } from "@/server/auth/auth0";
import { createTrpcHandler } from "@/server/trpc/handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handler = createTrpcHandler(getApp, siteActor);
export { handler as GET, handler as POST };
