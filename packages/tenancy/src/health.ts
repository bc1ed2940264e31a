import { portBlock } from "./ports";
import { hasIam, type Domain, type Tenant } from "./tenant";
import type { RunState } from "./embedded/state";

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

/** A health target whose answer is already known from the run state (an app asleep, crashed, or waking). */
export interface EmbeddedHealthTarget extends HealthTarget {
  known?: { up: boolean; detail: string };
}

/**
 * An embedded tenant's targets, read against its run state so that asking never wakes an app: an app asleep is
 * healthy without being asked (its gate starts it at the next visit), one that crashed or could not start is down
 * with the reason, one that is awake is asked at its own server's port, behind its gate, where the question is
 * not a visit and does not put off its sleep. Apps the tenant did not start (`--no-apps`, not built) are left out.
 */
export function embeddedHealthTargets(tenant: Tenant, state: RunState | undefined): EmbeddedHealthTarget[] {
  const running = state?.status === "ready" ? state : undefined;
  const started = new Set(running?.processes.map((p) => p.name) ?? []);
  return healthTargets(tenant).flatMap((target): EmbeddedHealthTarget[] => {
    if (!/-(hera|athena)$/.test(target.service)) return [target];
    const app = running?.apps?.[target.service];
    // A state written before apps slept: the app is a plain process at its public port.
    if (!app) return started.has(target.service) ? [target] : [];
    const url = target.url.replace(/:\d+\//, `:${app.port}/`);
    switch (app.phase) {
      case "awake":
        return [{ ...target, url }];
      case "sleeping":
        return [{ ...target, known: { up: true, detail: "sleeping" } }];
      case "starting":
        return [{ ...target, known: { up: true, detail: "waking" } }];
      case "stopping":
        return [{ ...target, known: { up: true, detail: "going to sleep" } }];
      case "crashed":
      case "failed":
        return [{ ...target, known: { up: false, detail: `${app.phase}: ${app.detail ?? "see its log"}` } }];
    }
  });
}
