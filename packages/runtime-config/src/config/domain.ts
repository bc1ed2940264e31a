/**
 * The two halves of Olympus. Everything about a domain that is fixed by the
 * product (not by an operator) lives here: its env prefix, its port range and
 * its default branding.
 */
export const DOMAINS = ["ciam", "iam"] as const;
export type Domain = (typeof DOMAINS)[number];

export function isDomain(value: unknown): value is Domain {
  return typeof value === "string" && (DOMAINS as readonly string[]).includes(value);
}

export function otherDomain(domain: Domain): Domain {
  return domain === "ciam" ? "iam" : "ciam";
}

/** `CIAM_` / `IAM_`: the prefix that marks a variable as belonging to one domain. */
export function envPrefix(domain: Domain): string {
  return `${domain.toUpperCase()}_`;
}

/**
 * The login role a domain's Athena (and Hera's edge) uses in the shared
 * `olympus` database: `olympus_ciam` or `olympus_iam`. Row-level security
 * gives a connection the rows of the role it logged in as, so the
 * configuration refuses any other role (platform/postgres/init.sql creates them).
 */
export type OlympusDomainRole = `olympus_${Domain}`;

export function olympusDomainRole(domain: Domain): OlympusDomainRole {
  return `olympus_${domain}`;
}

/** Every CIAM service listens on 3xxx, every IAM service on 4xxx (see the port table). */
export const DOMAIN_PORT_RANGE: Record<Domain, { min: number; max: number }> = {
  ciam: { min: 3000, max: 3999 },
  iam: { min: 4000, max: 4999 },
};

export const SERVICES = ["hera", "athena", "kratosPublic", "kratosAdmin", "hydraPublic", "hydraAdmin"] as const;
export type Service = (typeof SERVICES)[number];

/** The port table from the README: the same ports in Compose, in production and in the embedded stack. */
export const SERVICE_PORTS: Record<Domain, Record<Service, number>> = {
  ciam: { hera: 3000, athena: 3001, kratosPublic: 3100, kratosAdmin: 3101, hydraPublic: 3102, hydraAdmin: 3103 },
  iam: { hera: 4000, athena: 4001, kratosPublic: 4100, kratosAdmin: 4101, hydraPublic: 4102, hydraAdmin: 4103 },
};

/** Ports that must never be reachable from outside the private network. */
export const ADMIN_SERVICES: readonly Service[] = ["kratosAdmin", "hydraAdmin"];

export function domainOfPort(port: number): Domain | undefined {
  return DOMAINS.find((d) => port >= DOMAIN_PORT_RANGE[d].min && port <= DOMAIN_PORT_RANGE[d].max);
}

/**
 * The domain a host name claims by its first label: `iam.example.com`,
 * `iam-kratos` and `iam_hydra` all claim IAM; `ciam.localhost` claims CIAM.
 */
export function domainOfHost(hostname: string): Domain | undefined {
  const firstToken = hostname.toLowerCase().split(".")[0]?.split(/[-_]/)[0];
  return isDomain(firstToken) ? firstToken : undefined;
}

export interface Branding {
  productName: string;
  primaryColor: string;
  accentColor: string;
  logoPath: string;
  /** Where a stuck person gets help: an http(s) or mailto: URL. */
  supportUrl: string;
}

/** Deliberately different looks so an employee never mistakes one side for the other. */
export const DEFAULT_BRANDING: Record<Domain, Branding> = {
  ciam: {
    productName: "Olympus",
    primaryColor: "#2563eb",
    accentColor: "#f59e0b",
    logoPath: "/brand/ciam-logo.svg",
    supportUrl: "mailto:support@olympus.dev",
  },
  iam: {
    productName: "Olympus Workforce",
    primaryColor: "#7c3aed",
    accentColor: "#10b981",
    logoPath: "/brand/iam-logo.svg",
    supportUrl: "mailto:it-helpdesk@olympus.dev",
  },
};

/** A domain's second-factor policy for OAuth2 sign-ins (Hera enforces it at Hydra's login). */
export interface MfaPolicy {
  /** A sign-in is accepted only at aal2 (password plus TOTP or a security key). */
  required: boolean;
  /** Days after an identity's creation during which it may still sign in without a second factor (0: enrol at the first sign-in). */
  graceDays: number;
}

/** Employees need a second factor from their first sign-in; customers choose. */
export const DEFAULT_MFA_POLICY: Record<Domain, MfaPolicy> = {
  ciam: { required: false, graceDays: 0 },
  iam: { required: true, graceDays: 0 },
};
