import type { AthenaConfig } from "@olympus/runtime-config/config/athena";
import { checkReadiness, oryReadyProbe, type ReadinessProbe, type ReadinessReport } from "@olympus/runtime-config/health";

/**
 * Athena is ready when its own domain's Kratos (public and admin) and Hydra
 * admin answer ready and the olympus database answers a query on the pool
 * Athena uses (which exists only once the schema is in place).
 */
export function athenaReadiness(
  config: Pick<AthenaConfig, "kratos" | "hydra">,
  database: ReadinessProbe,
  timeoutMs?: number,
): Promise<ReadinessReport> {
  return checkReadiness(
    {
      kratosPublic: oryReadyProbe(config.kratos.publicUrl),
      kratosAdmin: oryReadyProbe(config.kratos.adminUrl),
      hydraAdmin: oryReadyProbe(config.hydra.adminUrl),
      database,
    },
    timeoutMs,
  );
}

/** `?ready` (any value) asks for readiness; without it `/api/health` stays a liveness answer. */
export function wantsReadiness(requestUrl: string): boolean {
  return new URL(requestUrl).searchParams.has("ready");
}
