import { getApp } from "@/server/app";
import { healthResponse } from "@/server/health";
import { jsonResponse, requestIdOf } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  try {
    const { database } = await getApp();
    return await healthResponse(request, database);
  } catch {
    return jsonResponse(
      { status: "down", database: { status: "down", error: "The database could not be opened." } },
      { status: 503, requestId: requestIdOf(request) },
    );
  }
}
