import { ADMIN_SERVICES, SERVICE_PORTS, type Domain } from "@olympus/runtime-config/config";
import { EMBEDDED_ADMIN_API_TOKEN } from "@olympus/devstack/defaults";

/** Every string in a resolved config, with where it sits (`kratos.adminUrl`). */
function stringLeaves(value: unknown, at = ""): { at: string; value: string }[] {
  if (typeof value === "string") return [{ at, value }];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => stringLeaves(child, at ? `${at}.${key}` : key));
}

function portOf(value: string): number | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return Number(url.port || (url.protocol === "https:" ? 443 : 80));
  } catch {
    return undefined;
  }
}

/**
 * The places in a resolved app config that hold `domain`'s admin API: a URL
 * on one of its admin ports (the same in Compose, production and the embedded
 * stack) or its admin API token. For an app of the other domain this must be
 * empty: an Athena never holds the other domain's admin URLs.
 */
export function adminValuesOf(config: unknown, domain: Domain): string[] {
  const adminPorts = ADMIN_SERVICES.map((service) => SERVICE_PORTS[domain][service]);
  return stringLeaves(config)
    .filter(({ value }) => adminPorts.includes(portOf(value) ?? -1) || value === EMBEDDED_ADMIN_API_TOKEN[domain])
    .map(({ at, value }) => `${at}=${value === EMBEDDED_ADMIN_API_TOKEN[domain] ? "<admin token>" : value}`);
}
