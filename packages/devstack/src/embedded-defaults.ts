import { fileURLToPath } from "node:url";
import { DEFAULT_MFA_POLICY, envPrefix, SERVICE_PORTS, type Domain } from "@olympus/runtime-config/config";
import {
  ATHENA_VARIABLES,
  DEFAULT_SESSION_REVALIDATE_SECONDS,
  HERA_EDGE_VARIABLES,
  MFA_VARIABLES,
} from "@olympus/runtime-config/config/variables";

export type App = "hera" | "athena";

/*
 * The embedded stack's development defaults (`@olympus/devstack/defaults`):
 * every value here is a development secret or address. They live with the
 * devstack, not with the runtime configuration, so production code cannot
 * reach them without depending on the devstack; apps import them in tests only.
 */

/**
 * Development-only secrets for the embedded stack. They are listed in
 * EXAMPLE_SECRET_VALUES, so a production instance refuses them.
 */
const DEV_COOKIE_SECRET: Record<Domain, string> = {
  ciam: "dev-cookie-secret-ciam-0123456789abcdef",
  iam: "dev-cookie-secret-iam-0123456789abcdef0",
};

/**
 * The environment an app instance gets on the embedded stack (npm run dev and
 * the tests): only its own domain's values, with the domain's prefix.
 * Browsers reach apps as ciam.localhost / iam.localhost so cookies are
 * host-scoped as in production; server-to-server calls use 127.0.0.1 because
 * Node does not resolve *.localhost. Both apps get the domain's admin API
 * token: the devstack starts Kratos and Hydra requiring it, and Hera calls
 * Kratos' admin API (identities) and Hydra's (login, consent and logout
 * challenges) as Athena calls both.
 */
export function embeddedAppEnv(domain: Domain, app: App, port: number = SERVICE_PORTS[domain][app]): Record<string, string> {
  const ports = SERVICE_PORTS[domain];
  const prefix = envPrefix(domain);
  return {
    DOMAIN: domain,
    OLYMPUS_ENV: "development",
    PORT: String(port),
    [`${prefix}PUBLIC_URL`]: `http://${domain}.localhost:${port}`,
    [`${prefix}KRATOS_PUBLIC_URL`]: `http://127.0.0.1:${ports.kratosPublic}`,
    [`${prefix}KRATOS_ADMIN_URL`]: `http://127.0.0.1:${ports.kratosAdmin}`,
    [`${prefix}HYDRA_PUBLIC_URL`]: `http://127.0.0.1:${ports.hydraPublic}`,
    [`${prefix}HYDRA_ADMIN_URL`]: `http://127.0.0.1:${ports.hydraAdmin}`,
    [`${prefix}COOKIE_SECRET`]: DEV_COOKIE_SECRET[domain],
    [`${prefix}ADMIN_API_TOKEN`]: EMBEDDED_ADMIN_API_TOKEN[domain],
    ...(app === "hera" ? embeddedHeraEdgeEnv(domain) : {}),
    // Hera enforces the domain's second-factor policy at Hydra's login; spelled out so
    // the dev stack visibly runs the production default (IAM: required from the first sign-in).
    ...(app === "hera" ? embeddedMfaEnv(domain) : {}),
    ...(app === "athena" ? embeddedAthenaEnv(domain) : {}),
  };
}

/**
 * Hera's edge (its Kratos proxy, with the abuse limits in front of Kratos):
 * the domain's own role in the `olympus` database for its counters, and the
 * development limits file (platform/dev/<domain>-hera/limits.yml).
 */
function embeddedHeraEdgeEnv(domain: Domain): Record<string, string> {
  const prefix = envPrefix(domain);
  return {
    [`${prefix}${HERA_EDGE_VARIABLES.databaseUrl}`]: EMBEDDED_OLYMPUS_DATABASE_URLS[domain],
    [`${prefix}${HERA_EDGE_VARIABLES.limitsFile}`]: embeddedLimitsFile(domain),
  };
}

/** platform/dev/<domain>-hera/limits.yml, as an absolute path (apps start in their own folder). */
export function embeddedLimitsFile(domain: Domain): string {
  return fileURLToPath(new URL(`../../../platform/dev/${domain}-hera/limits.yml`, import.meta.url));
}

function embeddedMfaEnv(domain: Domain): Record<string, string> {
  const prefix = envPrefix(domain);
  const policy = DEFAULT_MFA_POLICY[domain];
  return {
    [`${prefix}${MFA_VARIABLES.required}`]: String(policy.required),
    [`${prefix}${MFA_VARIABLES.graceDays}`]: String(policy.graceDays),
  };
}

/**
 * The OAuth2 clients the devstack seeds in IAM Hydra for each Athena (both
 * sign employees in through IAM; packages/devstack/src/seeds/dev-seeds.ts
 * must agree). Development values only: production refuses every secret here.
 */
export const EMBEDDED_ATHENA_CLIENTS: Record<
  Domain,
  { clientId: string; clientSecret: string; redirectUri: string; postLogoutRedirectUri: string }
> = {
  ciam: {
    clientId: "iam-athena-ciam",
    clientSecret: "dev-athena-ciam-client-secret-NOT-FOR-PRODUCTION",
    redirectUri: `http://ciam.localhost:${SERVICE_PORTS.ciam.athena}/api/auth/callback/olympus-iam`,
    postLogoutRedirectUri: `http://ciam.localhost:${SERVICE_PORTS.ciam.athena}/`,
  },
  iam: {
    clientId: "iam-athena-iam",
    clientSecret: "dev-athena-iam-client-secret-NOT-FOR-PRODUCTION",
    redirectUri: `http://iam.localhost:${SERVICE_PORTS.iam.athena}/api/auth/callback/olympus-iam`,
    postLogoutRedirectUri: `http://iam.localhost:${SERVICE_PORTS.iam.athena}/`,
  },
};

/**
 * The demo relying party (`apps/demo`, CIAM :3002) the devstack seeds in CIAM
 * Hydra (packages/devstack/src/seeds/dev-seeds.ts reads it from here, the
 * demo's `dev` script too). Development values only.
 */
export const EMBEDDED_DEMO_CLIENT = {
  clientId: "ciam-demo-rp",
  clientSecret: "dev-demo-rp-client-secret-NOT-FOR-PRODUCTION",
  port: 3002,
  publicUrl: "http://ciam.localhost:3002",
  /** CIAM Hydra's issuer as its hydra.yml announces it. */
  issuer: `http://ciam.localhost:${SERVICE_PORTS.ciam.hydraPublic}/`,
} as const;

/**
 * Each Athena's own login to the shared `olympus` database (init.sql's
 * olympus_ciam / olympus_iam): row-level security gives each only its own
 * domain's rows. Development passwords; the devstack creates the roles with them.
 */
export const EMBEDDED_OLYMPUS_DATABASE_URLS: Record<Domain, string> = {
  ciam: "postgres://olympus_ciam:olympus_ciam_dev_password@127.0.0.1:5432/olympus",
  iam: "postgres://olympus_iam:olympus_iam_dev_password@127.0.0.1:5432/olympus",
};
/** The tables' owner, for the devstack's migration step only; no app is given it. */
export const EMBEDDED_OLYMPUS_MIGRATOR_URL = "postgres://olympus_migrator:olympus_migrator_dev_password@127.0.0.1:5432/olympus";
/**
 * The bearer token each domain's embedded Kratos and Hydra admin APIs require
 * (packages/devstack starts them so; /health/* stays open), and every app
 * instance of that domain sends. Printed in the dev stack's ready table.
 */
export const EMBEDDED_ADMIN_API_TOKEN: Record<Domain, string> = {
  ciam: "dev-admin-token-ciam-not-for-production",
  iam: "dev-admin-token-iam-not-for-production",
};
const DEV_ENCRYPTION_KEY: Record<Domain, string> = {
  ciam: "dev-encryption-key-ciam-not-for-production-0123",
  iam: "dev-encryption-key-iam-not-for-production-01234",
};
const DEV_AUTH_SECRET: Record<Domain, string> = {
  ciam: "dev-auth-secret-athena-ciam-not-for-production",
  iam: "dev-auth-secret-athena-iam-not-for-production",
};

function embeddedAthenaEnv(domain: Domain): Record<string, string> {
  const prefix = envPrefix(domain);
  const client = EMBEDDED_ATHENA_CLIENTS[domain];
  return {
    // IAM Hydra's issuer as configured in platform/dev/iam-hydra/hydra.yml; the
    // same for both Athenas, hence no prefix.
    AUTH_ISSUER_URL: `http://iam.localhost:${SERVICE_PORTS.iam.hydraPublic}/`,
    [`${prefix}AUTH_CLIENT_ID`]: client.clientId,
    [`${prefix}AUTH_CLIENT_SECRET`]: client.clientSecret,
    [`${prefix}AUTH_SECRET`]: DEV_AUTH_SECRET[domain],
    [`${prefix}ENCRYPTION_KEY`]: DEV_ENCRYPTION_KEY[domain],
    [`${prefix}OLYMPUS_DATABASE_URL`]: EMBEDDED_OLYMPUS_DATABASE_URLS[domain],
    // Unprefixed, so a test shortens it under the same name for either
    // domain: startApp(..., { ...embeddedAppEnv(d, "athena"), AUTH_SESSION_REVALIDATE_SECONDS: "3" }).
    [ATHENA_VARIABLES.sessionRevalidateSeconds]: String(DEFAULT_SESSION_REVALIDATE_SECONDS),
  };
}

/** Drops every variable that belongs to either domain, so a child starts clean. */
export function withoutDomainVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || name === "DOMAIN" || /^(C?IAM)_/.test(name)) continue;
    clean[name] = value;
  }
  return clean;
}
