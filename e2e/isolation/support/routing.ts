import { z } from "zod";
import { DOMAINS, type Domain } from "@olympus/runtime-config/config";
import type { HttpAnswer } from "./caddy";

/** The public hosts the Caddyfile serves for DOMAIN=localhost. */
export const PUBLIC_HOSTS = ["ciam.localhost", "admin.ciam.localhost", "iam.localhost", "admin.iam.localhost"] as const;

/** Paths that identify the service answering them (see identifyAnswer). */
export const IDENTIFYING_PATHS = ["/api/health", "/.ory/kratos/schemas", "/.well-known/openid-configuration"] as const;

/** Paths the Kratos and Hydra admin APIs serve, bare and under each public prefix: none may reach an admin API. */
export const ADMIN_PATHS = [
  "/admin/identities",
  "/admin/clients",
  "/admin/sessions",
  "/admin/oauth2/auth/requests/login?login_challenge=x",
  "/.ory/kratos/admin/identities",
  "/.ory/kratos/admin/clients",
  "/.ory/kratos/identities",
  "/oauth2/../admin/clients",
  "/clients",
] as const;

/** Who answered a request, as far as the answer itself says. */
export interface ServiceIdentity {
  service: "hera" | "athena" | "kratos" | "hydra" | "admin-api" | "unknown";
  domain?: Domain;
}

const health = z.object({ app: z.enum(["hera", "athena"]), domain: z.enum(DOMAINS) });
const discovery = z.object({ issuer: z.string() });
const schemas = z.array(z.object({ id: z.string() })).min(1);
// Kratos' identity and session lists, Hydra's client list: what only an open admin API (the real Kratos and Hydra) returns.
const adminList = z.array(
  z.union([z.object({ traits: z.unknown() }), z.object({ client_id: z.string() }), z.object({ identity: z.unknown() })]),
);
// A guarded admin API (the embedded servers, which the dev stack starts with the domain's token) refuses a request
// without it with this challenge: reaching it at all is the breach, token or not.
const ADMIN_CHALLENGE = /^Bearer\s+realm="(kratos|hydra)-admin"/i;

export function identifyAnswer({ status, body, headers }: HttpAnswer): ServiceIdentity {
  if (status === 401 && ADMIN_CHALLENGE.test(headers["www-authenticate"] ?? "")) return { service: "admin-api" };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { service: "unknown" };
  }
  if (status === 200 && adminList.safeParse(json).success && Array.isArray(json) && json.length > 0) return { service: "admin-api" };
  const app = health.safeParse(json);
  if (app.success) return { service: app.data.app, domain: app.data.domain };
  const hydra = discovery.safeParse(json);
  if (hydra.success) return { service: "hydra", domain: domainOfHostName(new URL(hydra.data.issuer).hostname) };
  const kratos = schemas.safeParse(json);
  if (kratos.success) {
    // IAM Kratos serves only the `admin` (employee) schema; CIAM Kratos the customer ones.
    const ids = kratos.data.map((schema) => schema.id);
    return { service: "kratos", domain: ids.includes("admin") ? "iam" : ids.includes("default") ? "ciam" : undefined };
  }
  return { service: "unknown" };
}

/** The domain a public host belongs to: `admin.ciam.localhost` → ciam. */
export function domainOfHostName(host: string, parent = "localhost"): Domain | undefined {
  const label = host
    .slice(0, -(parent.length + 1))
    .split(".")
    .at(-1);
  return DOMAINS.find((domain) => domain === label);
}

export interface RoutedAnswer {
  host: string;
  path: string;
  answeredBy: ServiceIdentity;
}

/** Answers that break the boundary: from the other domain's service, or from an admin API at all. */
export function routingViolations(answers: readonly RoutedAnswer[]): RoutedAnswer[] {
  return answers.filter(({ host, answeredBy }) => {
    if (answeredBy.service === "admin-api") return true;
    return answeredBy.domain !== undefined && answeredBy.domain !== domainOfHostName(host);
  });
}
