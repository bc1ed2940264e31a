import { embeddedAppEnv, withoutDomainVariables } from "@olympus/devstack/defaults";
import { portBlock } from "../ports";
import type { TenantSecrets } from "../secrets";
import { ciamAthenaClientId } from "../hosts";
import { hasIam, type Domain, type Tenant } from "../tenant";
import { adminApiToken, appOrigin, controlPlaneClientId, oryPublicUrls, roleUrl } from "./render";

export type App = "hera" | "athena";

/** The OAuth2 client each Athena signs employees in with at the tenant's IAM Hydra (as the dev seeds name them). */
export function athenaClientId(domain: Domain): string {
  return `iam-athena-${domain}`;
}

export const ATHENA_CALLBACK_PATH = "/api/auth/callback/olympus-iam";

/** Names Athena IAM's machine API reads: the one client allowed, and the scope it must hold. */
export const MACHINE_CLIENT_VARIABLE = "MACHINE_CLIENT_ID";

/** Where a CIAM-only tenant's Athena signs employees in: the operator's IAM on this host, as the dev defaults name it. */
export function operatorIssuer(): string {
  return embeddedAppEnv("ciam", "athena").AUTH_ISSUER_URL ?? "";
}

function need(secrets: TenantSecrets, variable: string): string {
  const value = secrets[variable];
  if (!value) throw new Error(`the tenant's secrets have no ${variable}`);
  return value;
}

/**
 * The environment of one app of the tenant (`next start` of the one build
 * every tenant shares): the dev stack's variables for that domain and app,
 * each address and secret replaced by the tenant's — its ports, its
 * *.localhost hosts, its admin token, its own database roles, its secrets.
 * Only the domain's own variables, with the domain's prefix.
 */
export function tenantAppEnv(tenant: Tenant, secrets: TenantSecrets, domain: Domain, app: App): Record<string, string> {
  const block = portBlock(tenant.slot)[domain];
  const prefix = `${domain.toUpperCase()}_`;
  const env: Record<string, string> = {
    ...embeddedAppEnv(domain, app, block[app]),
    OLYMPUS_ENV: "development",
    PORT: String(block[app]),
    HOSTNAME: "127.0.0.1",
    [`${prefix}PUBLIC_URL`]: appOrigin(tenant, domain, app),
    [`${prefix}KRATOS_PUBLIC_URL`]: `http://127.0.0.1:${block.kratosPublic}`,
    [`${prefix}KRATOS_ADMIN_URL`]: `http://127.0.0.1:${block.kratosAdmin}`,
    [`${prefix}HYDRA_PUBLIC_URL`]: `http://127.0.0.1:${block.hydraPublic}`,
    [`${prefix}HYDRA_ADMIN_URL`]: `http://127.0.0.1:${block.hydraAdmin}`,
    [`${prefix}COOKIE_SECRET`]: need(secrets, `${prefix}HERA_COOKIE_SECRET`),
    [`${prefix}ADMIN_API_TOKEN`]: adminApiToken(secrets, domain),
    [`${prefix}OLYMPUS_DATABASE_URL`]: roleUrl(tenant, secrets, `olympus_${domain}`),
  };
  if (app === "athena") {
    // With IAM, both Athenas sign employees in at the tenant's own IAM Hydra. A CIAM-only tenant's Athena signs them in
    // at the operator's IAM on this host (the dev stack's, the issuer the defaults name), with a client of its own
    // there, as a CIAM-only Compose tenant does at iam.<parent>.
    if (hasIam(tenant)) env.AUTH_ISSUER_URL = oryPublicUrls(tenant, "iam").hydraIssuer;
    env[`${prefix}AUTH_CLIENT_ID`] = hasIam(tenant) ? athenaClientId(domain) : ciamAthenaClientId(tenant);
    env[`${prefix}AUTH_CLIENT_SECRET`] = need(secrets, `${prefix}ATHENA_CLIENT_SECRET`);
    env[`${prefix}AUTH_SECRET`] = need(secrets, `${prefix}ATHENA_AUTH_SECRET`);
    env[`${prefix}ENCRYPTION_KEY`] = need(secrets, "ENCRYPTION_KEY");
    if (domain === "iam") env[`${prefix}${MACHINE_CLIENT_VARIABLE}`] = controlPlaneClientId(tenant);
  }
  return env;
}

/** The process environment an app is started with: the parent's, minus every domain variable, plus the tenant's. */
export function appProcessEnv(parent: NodeJS.ProcessEnv, appEnv: Record<string, string>): Record<string, string> {
  return { ...withoutDomainVariables(parent), NODE_ENV: "production", ...appEnv };
}
