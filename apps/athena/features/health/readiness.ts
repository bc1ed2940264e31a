import type { AthenaConfig } from "@olympus/runtime-config/config/athena";
import { oryAppReadiness, type ReadinessProbe, type ReadinessReport } from "@olympus/runtime-config/health";

export { wantsReadiness } from "@olympus/runtime-config/health";

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
  return oryAppReadiness(config, database, timeoutMs);
}
