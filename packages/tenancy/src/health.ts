import { portBlock } from "./ports";
import { hasIam, type Domain, type Tenant } from "./tenant";

export interface HealthTarget {
  service: string;
  url: string;
}

/**
 * Where `tenant list`/`status` ask each service whether it is ready, on the
 * ports the tenant publishes on 127.0.0.1: Hera's and Athena's readiness
 * answer, Kratos' and Hydra's /health/ready on their public port.
 */
export function healthTargets(tenant: Tenant, host = "127.0.0.1"): HealthTarget[] {
  const block = portBlock(tenant.slot);
  const domains: Domain[] = hasIam(tenant) ? ["ciam", "iam"] : ["ciam"];
  return domains.flatMap((domain) => [
    { service: `${domain}-hera`, url: `http://${host}:${block[domain].hera}/api/health?ready=1` },
    { service: `${domain}-athena`, url: `http://${host}:${block[domain].athena}/api/health?ready=1` },
    { service: `${domain}-kratos`, url: `http://${host}:${block[domain].kratosPublic}/health/ready` },
    { service: `${domain}-hydra`, url: `http://${host}:${block[domain].hydraPublic}/health/ready` },
  ]);
}
