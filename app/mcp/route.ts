import { getApp } from "@/server/app";
import { createMcpHandler } from "@/server/mcp/handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handler = createMcpHandler(getApp);
export { handler as GET, handler as POST, handler as DELETE };
