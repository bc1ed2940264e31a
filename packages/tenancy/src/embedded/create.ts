import { renderCaddyBlock } from "../caddy";
import { renderEnvFile } from "../env-file";
import type { GeneratedFile } from "../generate";
import { portBlock } from "../ports";
import type { TenantSecrets } from "../secrets";
import { stringify } from "yaml";
import { ciamAthenaClientId } from "../hosts";
import { hasIam, type Tenant } from "../tenant";
import { ATHENA_CALLBACK_PATH, operatorIssuer } from "./app-env";
import { appOrigin, tenantDomains } from "./render";

/** The apps' addresses without Caddy: each *.localhost host at its block port. */
export function embeddedUrls(tenant: Tenant): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const domain of tenantDomains(tenant))
    for (const app of ["hera", "athena"] as const)
      urls[`${app === "hera" ? "Hera" : "Athena"} ${domain.toUpperCase()}`] = `${appOrigin(tenant, domain, app)}/`;
  return urls;
}

/**
 * A CIAM-only tenant's Athena client at the operator's IAM, as an oauth2-clients.yml entry (its secret named, not
 * written): what the operator registers there, e.g. `olympus bootstrap --clients operator-iam-client.yml`.
 */
export function operatorIamClientEntry(tenant: Tenant) {
  const origin = appOrigin(tenant, "ciam", "athena");
  return {
    client_id: ciamAthenaClientId(tenant),
    client_name: `Athena CIAM (${tenant.name})`,
    client_secret_env: "CIAM_ATHENA_CLIENT_SECRET",
    redirect_uris: [`${origin}${ATHENA_CALLBACK_PATH}`],
    post_logout_redirect_uris: [`${origin}/`],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    scope: "openid offline_access email profile",
    token_endpoint_auth_method: "client_secret_basic",
    skip_consent: true,
    metadata: { first_party: true, app: "athena", manages_domain: "ciam", tenant: tenant.name },
  };
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
        ...(hasIam(tenant)
          ? []
          : [
              `CIAM only: Athena signs employees in at the operator's IAM (${operatorIssuer()}) with client`,
              `${ciamAthenaClientId(tenant)}; register it there from operator-iam-client.yml (secret: CIAM_ATHENA_CLIENT_SECRET in .env).`,
              "",
            ]),
      ].join("\n"),
      mode: 0o644,
    },
    ...(hasIam(tenant)
      ? []
      : [{ path: "operator-iam-client.yml", content: stringify({ iam: [operatorIamClientEntry(tenant)] }), mode: 0o644 }]),
  ];
}
