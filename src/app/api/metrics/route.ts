import { handleMetricsRequest } from "@/server/metrics/http";

export const GET = (req: Request) => handleMetricsRequest(req);
export const dynamic = "force-dynamic";
export const runtime = "nodejs";
