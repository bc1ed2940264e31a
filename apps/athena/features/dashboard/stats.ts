import "server-only";
import { hydraAdmin, kratosAdmin } from "@/shared/server/ory";
import { collectDashboardStats, type DashboardStats } from "./stats/collect";

export type { DashboardStats } from "./stats/collect";

const FRESH_MS = 2 * 60_000;

let cached: DashboardStats | undefined;
let inFlight: Promise<DashboardStats> | undefined;

/**
 * The dashboard's figures, from this domain's Kratos and Hydra admin APIs
 * (Athena has no database access to either). Scans are bounded (see
 * stats/collect.ts) and cached for two minutes per process; a stale result
 * is served while a fresh one is computed.
 */
export async function dashboardStats(): Promise<DashboardStats> {
  const fresh = cached && Date.now() - cached.computedAt.getTime() < FRESH_MS;
  if (fresh && cached) return cached;
  inFlight ??= collectDashboardStats({ kratos: kratosAdmin(), hydra: hydraAdmin(), now: new Date() }).finally(() => {
    inFlight = undefined;
  });
  const running = inFlight.then((stats) => (cached = stats));
  if (!cached) return running;
  // The stale figures are served; a failed refresh is retried by the next request.
  running.catch(() => undefined);
  return cached;
}
