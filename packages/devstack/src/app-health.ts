import { DOMAINS, type Domain } from "@olympus/runtime-config/config";
import type { HealthTarget } from "./health";
import type { DevstackPorts } from "./options";
import { devstackUrls } from "./urls";

type NextApp = "hera" | "athena";

/** A health body as Hera, Athena and the demo answer it: `{ status: "ok", app, domain? }`. */
function reports(body: unknown, app: string, domain?: Domain): boolean {
  if (typeof body !== "object" || body === null) return false;
  const fields = body as Record<string, unknown>;
  return fields.status === "ok" && fields.app === app && (domain === undefined || fields.domain === domain);
}

/**
 * The apps turbo starts beside the dev stack, in the order their first
 * compile is worth waiting for: Hera and Athena for each domain, then the
 * demo relying party. Each port must be served by the right app (and, for
 * Hera and Athena, the right domain), not by anything that answers 200 —
 * a stale server from another checkout would otherwise pass for ours.
 */
export function appHealthTargets(ports: DevstackPorts): HealthTarget[] {
  const urls = devstackUrls(ports, { host: "127.0.0.1", port: ports.postgres });
  const nextApps = DOMAINS.flatMap((domain) =>
    (["hera", "athena"] as const satisfies readonly NextApp[]).map((app): HealthTarget => ({
      name: `${app === "hera" ? "Hera" : "Athena"} ${domain.toUpperCase()}`,
      url: urls[domain].health[app],
      accept: (body) => reports(body, app, domain),
    })),
  );
  // The demo is a CIAM-only app; its health body names no domain.
  const demo: HealthTarget = { name: "demo relying party", url: urls.demoHealth, accept: (body) => reports(body, "demo") };
  return [...nextApps, demo];
}
