import { envPrefix, SERVICE_PORTS, type Domain } from "./domain";

export type App = "hera" | "athena";

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
 * Node does not resolve *.localhost.
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
