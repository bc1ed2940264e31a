import { randomBytes } from "node:crypto";
import { renderCaddyBlock } from "../caddy";
import { renderEnvFile } from "../env-file";
import type { GeneratedFile } from "../generate";
import { portBlock } from "../ports";
import type { TenantSecrets } from "../secrets";
import type { Tenant } from "../tenant";
import { appOrigin, CONTROL_PLANE_SECRET_VARIABLE, tenantDomains } from "./render";

/** The apps' addresses without Caddy: each *.localhost host at its block port. */
export function embeddedUrls(tenant: Tenant): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const domain of tenantDomains(tenant))
    for (const app of ["hera", "athena"] as const)
      urls[`${app === "hera" ? "Hera" : "Athena"} ${domain.toUpperCase()}`] = `${appOrigin(tenant, domain, app)}/`;
  return urls;
}

/** An embedded tenant's secrets: the stack's, plus the control plane's client secret at this tenant's IAM Hydra (its own). */
export function embeddedSecrets(secrets: TenantSecrets, random: (bytes: number) => Buffer = randomBytes): TenantSecrets {
  return { ...secrets, [CONTROL_PLANE_SECRET_VARIABLE]: random(24).toString("hex") };
}

/**
 * The directory of an embedded tenant before its first start: .env (mode
 * 600), the Caddy site block (the same routing as the Compose target, to the
 * tenant's block ports) and a README. The supervisor adds the rendered
 * configs, the Postgres data, logs and run state.
 */
export function embeddedFiles(tenant: Tenant, secrets: TenantSecrets): GeneratedFile[] {
  const block = portBlock(tenant.slot);
  const urls = Object.entries(embeddedUrls(tenant)).map(([label, url]) => `- ${label}: ${url}`);
  return [
    { path: ".env", content: renderEnvFile(tenant, secrets), mode: 0o600 },
    { path: "Caddyfile", content: renderCaddyBlock(tenant), mode: 0o644 },
    {
      path: "README.md",
      content: [
        `# Olympus tenant ${tenant.name} (embedded)`,
        "",
        `Processes on this host, port block ${block.base}-${block.base + 99} on 127.0.0.1. Without Caddy, open:`,
        "",
        ...urls,
        "",
        "olympus tenant start|stop|status " + tenant.name,
        "",
      ].join("\n"),
      mode: 0o644,
    },
  ];
}
