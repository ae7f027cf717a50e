import { doors } from "@/server/next-doors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = doors.accountExport;
