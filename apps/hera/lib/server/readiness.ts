import type { OlympusConfig } from "@olympus/runtime-config/config";
import { oryAppReadiness, type ReadinessProbe, type ReadinessReport } from "@olympus/runtime-config/health";

export { wantsReadiness } from "@olympus/runtime-config/health";

/**
 * Hera is ready when the three Ory APIs its server calls answer ready:
 * Kratos public (flows, whoami), Kratos admin (identities for consent
 * claims) and Hydra admin (login, consent and logout challenges), at the
 * addresses this instance was configured with; and the olympus database
 * answers, since without it the edge refuses every guarded submission
 * (sign-in, registration, recovery, verification) with a 503.
 */
export function heraReadiness(
  config: Pick<OlympusConfig, "kratos" | "hydra">,
  database: ReadinessProbe,
  timeoutMs?: number,
): Promise<ReadinessReport> {
  return oryAppReadiness(config, database, timeoutMs);
}
