import { startupConfig } from "@olympus/runtime-config/config";
import { databaseProbe } from "@olympus/runtime-config/health";
import { edgeDatabase } from "@/lib/server/kratos-edge/instance";
import { heraReadiness, wantsReadiness } from "@/lib/server/readiness";

export const dynamic = "force-dynamic";

/**
 * `GET /api/health`: liveness for load balancers and the dev stack (which
 * app, which domain). `GET /api/health?ready=1`: readiness, 200 when this
 * domain's Kratos and Hydra answer ready and the olympus database (the
 * edge's sign-in limits) answers, else 503 naming which one is not
 * (Compose's healthcheck uses it, so Hera is healthy only when it can serve).
 */
export async function GET(request: Request) {
  const config = startupConfig();
  const identity = { app: "hera", domain: config.domain };
  if (!wantsReadiness(request.url)) return Response.json({ status: "ok", ...identity });
  const report = await heraReadiness(config, databaseProbe(edgeDatabase));
  return Response.json(
    { status: report.ready ? "ready" : "unavailable", ...identity, checks: report.checks },
    { status: report.ready ? 200 : 503 },
  );
}
