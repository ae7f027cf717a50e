import { doors } from "@/server/next-doors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = doors.mcp;
export const POST = doors.mcp;
export const DELETE = doors.mcp;
