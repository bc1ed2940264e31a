import { databaseProbe } from "@olympus/runtime-config/health";
import { athenaConfig } from "@/shared/server/config";
import { olympusPool } from "@/shared/server/olympus-db";
import { athenaReadiness, wantsReadiness } from "@/features/health/readiness";

export const dynamic = "force-dynamic";

/**
 * `GET /api/health`: liveness for load balancers and the dev stack (which
 * app, which domain). `GET /api/health?ready=1`: readiness, 200 when this
 * domain's Kratos and Hydra answer ready and the olympus database answers,
 * else 503 naming which one is not (Compose's healthcheck uses it).
 */
export async function GET(request: Request) {
  const config = athenaConfig();
  const identity = { app: "athena", domain: config.domain };
  if (!wantsReadiness(request.url)) return Response.json({ status: "ok", ...identity });
  const report = await athenaReadiness(config, databaseProbe(olympusPool));
  return Response.json(
    { status: report.ready ? "ready" : "unavailable", ...identity, checks: report.checks },
    { status: report.ready ? 200 : 503 },
  );
}
