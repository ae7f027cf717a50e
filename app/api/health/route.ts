import { getApp } from "@/server/app";
import { healthReport } from "@/server/health";
import { jsonResponse, requestIdOf } from "@/server/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const requestId = requestIdOf(request);
  try {
    const { database } = await getApp();
    const report = await healthReport(database);
    return jsonResponse(report, { status: report.status === "down" ? 503 : 200, requestId });
  } catch {
    return jsonResponse(
      { status: "down", database: { status: "down", error: "The database could not be opened." } },
      { status: 503, requestId },
    );
  }
}
