import { hasIam, type Tenant } from "./tenant";

export interface TenantHosts {
  /** Hera CIAM and CIAM Hydra's public API. */
  ciam: string;
  /** Athena CIAM. */
  ciamAdmin: string;
  /** Hera IAM and IAM Hydra's public API, when the tenant has IAM. */
  iam?: string;
  /** Athena IAM, when the tenant has IAM. */
  iamAdmin?: string;
  /**
   * The issuer employees sign in to Athena CIAM through: the tenant's own IAM
   * when it has one; otherwise the operator's IAM at iam.<parent domain>,
   * where the tenant's Athena has a client of its own.
   */
  employeeIssuerHost: string;
}

export function tenantHosts(tenant: Pick<Tenant, "name" | "parentDomain" | "domains">): TenantHosts {
  const root = `${tenant.name}.${tenant.parentDomain}`;
  if (!hasIam(tenant)) return { ciam: root, ciamAdmin: `admin.${root}`, employeeIssuerHost: `iam.${tenant.parentDomain}` };
  return { ciam: root, ciamAdmin: `admin.${root}`, iam: `iam.${root}`, iamAdmin: `admin.iam.${root}`, employeeIssuerHost: `iam.${root}` };
}

/** Every public URL of a tenant, as `tenant create` prints them. */
export function tenantUrls(tenant: Pick<Tenant, "name" | "parentDomain" | "domains">): Record<string, string> {
  const hosts = tenantHosts(tenant);
  const urls: Record<string, string> = { "Hera CIAM": `https://${hosts.ciam}/`, "Athena CIAM": `https://${hosts.ciamAdmin}/` };
  if (hosts.iam && hosts.iamAdmin) {
    urls["Hera IAM"] = `https://${hosts.iam}/`;
    urls["Athena IAM"] = `https://${hosts.iamAdmin}/`;
  }
  return urls;
}

/**
 * The client id Athena CIAM signs employees in with. In the tenant's own IAM
 * it is the single-tenant one; at the operator's shared IAM each tenant has
 * its own, so no credential is shared between tenants.
 */
export function ciamAthenaClientId(tenant: Pick<Tenant, "name" | "domains">): string {
  return hasIam(tenant) ? "iam-athena-ciam" : `iam-athena-ciam-${tenant.name}`;
}

/**
 * Rewrites the production files' example hosts (`ciam.example.com`,
 * `admin.iam.example.com`, …) to the tenant's. Other example.com names
 * (smtp.example.com) stay: they are placeholders the operator fills.
 */
export function rewriteExampleHosts(text: string, tenant: Pick<Tenant, "name" | "parentDomain" | "domains">): string {
  const hosts = tenantHosts(tenant);
  return text.replace(/(?<![\w.-])(admin\.)?(ciam|iam)\.example\.com(?![\w-])/g, (_match, admin: string | undefined, domain: string) => {
    if (domain === "ciam") return admin ? hosts.ciamAdmin : hosts.ciam;
    if (admin) return hosts.iamAdmin ?? `admin.iam.${tenant.parentDomain}`;
    return hosts.employeeIssuerHost;
  });
}
