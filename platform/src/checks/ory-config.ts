import { existsSync } from "node:fs";
import { SERVICE_PORTS, type Domain } from "@olympus/runtime-config/config";
import { resolveKratosFileUrl } from "../paths";
import type { Problem } from "../problem";
import { ORY_VERSION } from "../versions";
import { at, isObject, stringLeaves, type YamlObject } from "../yaml";
import { adminOnlyTraits } from "./identity-schema";
import { crossDomainReason } from "./url-ownership";

/** Schema ids each domain must offer (see the identity schema table in the README). */
export const EXPECTED_SCHEMAS: Record<Domain, readonly string[]> = {
  ciam: ["default", "customer", "company"],
  iam: ["admin"],
};

interface CheckContext {
  domain: Domain;
  /** Label for messages, e.g. "platform/dev/ciam-kratos/kratos.yml". */
  file: string;
}

/** Checks a Kratos config against the port table and the CIAM/IAM boundary. */
export function checkKratosConfig(config: YamlObject, ctx: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ where: `${ctx.file}:${path}`, message });
  const ports = SERVICE_PORTS[ctx.domain];

  checkCommon(config, ctx, add);
  expectEqual(at(config, "serve.public.port"), ports.kratosPublic, "serve.public.port", add);
  expectEqual(at(config, "serve.admin.port"), ports.kratosAdmin, "serve.admin.port", add);
  checkDsn(at(config, "dsn"), `${ctx.domain}_kratos`, add);

  const ownHost = hostOf(at(config, "selfservice.default_browser_return_url"));
  for (const key of ["session.cookie.domain", "cookies.domain"]) {
    checkCookieDomain(at(config, key), ownHost, ctx.domain, key, add);
  }
  const cookieName = at(config, "session.cookie.name");
  if (typeof cookieName !== "string" || !cookieName.startsWith(`${ctx.domain}_`)) {
    add("session.cookie.name", `must be set and start with "${ctx.domain}_" so the two domains' cookies never share a name`);
  }
  const webauthnRp = at(config, "selfservice.methods.webauthn.config.rp.id");
  if (webauthnRp !== undefined && webauthnRp !== ownHost) {
    add("selfservice.methods.webauthn.config.rp.id", `must be this domain's own host "${ownHost}", got "${String(webauthnRp)}"`);
  }

  const registrationEnabled = at(config, "selfservice.flows.registration.enabled") === true;
  if (ctx.domain === "iam" && registrationEnabled)
    add("selfservice.flows.registration.enabled", "employees are invited; IAM self-registration must be disabled");
  if (ctx.domain === "ciam" && !registrationEnabled)
    add("selfservice.flows.registration.enabled", "customers sign up themselves; CIAM registration must be enabled");

  checkSchemas(config, ctx, add);
  checkTemplates(config, ctx, add);
  checkSessionRevocation(config, add);
  return problems;
}

/** Checks a Hydra config against the port table and the CIAM/IAM boundary. */
export function checkHydraConfig(config: YamlObject, ctx: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ where: `${ctx.file}:${path}`, message });
  const ports = SERVICE_PORTS[ctx.domain];

  checkCommon(config, ctx, add);
  expectEqual(at(config, "serve.public.port"), ports.hydraPublic, "serve.public.port", add);
  expectEqual(at(config, "serve.admin.port"), ports.hydraAdmin, "serve.admin.port", add);
  checkDsn(at(config, "dsn"), `${ctx.domain}_hydra`, add);

  const loginUrl = at(config, "urls.login");
  const ownHost = hostOf(loginUrl);
  checkCookieDomain(at(config, "serve.cookies.domain"), ownHost, ctx.domain, "serve.cookies.domain", add);
  const names = at(config, "serve.cookies.names");
  for (const kind of ["login_csrf", "consent_csrf", "session"]) {
    const name = isObject(names) ? names[kind] : undefined;
    if (typeof name !== "string" || !name.startsWith(`${ctx.domain}_`)) {
      add(`serve.cookies.names.${kind}`, `must be set and start with "${ctx.domain}_"`);
    }
  }
  for (const key of ["urls.login", "urls.consent", "urls.logout", "urls.self.issuer"]) {
    if (typeof at(config, key) !== "string") add(key, "is required");
  }
  return problems;
}

function checkCommon(config: YamlObject, ctx: CheckContext, add: (path: string, message: string) => void) {
  if (config.version !== ORY_VERSION) add("version", `must pin ${ORY_VERSION}, got ${String(config.version)}`);
  for (const [path, value] of stringLeaves(config)) {
    const reason = crossDomainReason(value, ctx.domain);
    if (reason) add(path, `points a ${ctx.domain} service at the other domain: ${reason}`);
  }
}

function checkDsn(dsn: unknown, expected: string, add: (path: string, message: string) => void) {
  if (dsn === undefined) return; // production takes the DSN from the environment
  if (typeof dsn !== "string") return add("dsn", "must be a string");
  try {
    const url = new URL(dsn);
    const database = url.pathname.replace(/^\//, "");
    if (url.username !== expected) add("dsn", `must connect as role "${expected}", got "${url.username}"`);
    if (database !== expected) add("dsn", `must open database "${expected}", got "${database}"`);
  } catch {
    add("dsn", "is not a valid URL");
  }
}

/** Host-only cookies are the rule; an explicit domain may only repeat the own host. */
function checkCookieDomain(value: unknown, ownHost: string | undefined, domain: Domain, path: string, add: (p: string, m: string) => void) {
  if (value === undefined) return;
  const cookieDomain = String(value).replace(/^\./, "").toLowerCase();
  if (cookieDomain !== ownHost) {
    add(path, `"${String(value)}" would share cookies beyond this domain's own host "${ownHost ?? "?"}"; leave it unset (host-only)`);
  } else if (!cookieDomain.startsWith(`${domain}.`)) {
    add(path, `"${String(value)}" is not a ${domain} host`);
  }
}

function checkSchemas(config: YamlObject, ctx: CheckContext, add: (path: string, message: string) => void) {
  const schemas = at(config, "identity.schemas");
  const ids = Array.isArray(schemas) ? schemas.map((s) => (isObject(s) ? s.id : undefined)) : [];
  for (const expected of EXPECTED_SCHEMAS[ctx.domain]) {
    if (!ids.includes(expected)) add("identity.schemas", `must include the "${expected}" schema`);
  }
  for (const id of ids) {
    if (typeof id === "string" && !EXPECTED_SCHEMAS[ctx.domain].includes(id))
      add("identity.schemas", `"${id}" is not a ${ctx.domain} schema`);
  }
  const defaultId = at(config, "identity.default_schema_id");
  if (!ids.includes(defaultId as string)) add("identity.default_schema_id", `"${String(defaultId)}" is not one of the listed schemas`);
  for (const [path, value] of stringLeaves(schemas, "identity.schemas")) {
    if (!path.endsWith(".url")) continue;
    checkFileExists(value, ctx.domain, path, add);
    const file = resolveKratosFileUrl(value, ctx.domain);
    for (const trait of file && existsSync(file) ? adminOnlyTraits(file) : []) {
      add(path, `declares the trait "${trait}", which the person could set themselves; keep it in metadata_admin`);
    }
  }
}

/**
 * A new password (settings) and a completed recovery must end every other
 * session, as Kratos' revoke_active_sessions hook does: whoever held the
 * account before is out. Kratos runs a method's own hooks, or the flow-wide
 * list when the method has none; recovery has the flow-wide list only.
 */
function checkSessionRevocation(config: YamlObject, add: (path: string, message: string) => void) {
  const names = (path: string) => {
    const hooks = at(config, path);
    return Array.isArray(hooks) ? hooks.map((hook) => (isObject(hook) ? hook.hook : undefined)) : [];
  };
  const perMethod = names("selfservice.flows.settings.after.password.hooks");
  const settings = perMethod.length > 0 ? perMethod : names("selfservice.flows.settings.after.hooks");
  if (!settings.includes("revoke_active_sessions")) {
    add(
      "selfservice.flows.settings.after.password.hooks",
      "must include revoke_active_sessions: a new password has to end every other session",
    );
  }
  if (!names("selfservice.flows.recovery.after.hooks").includes("revoke_active_sessions")) {
    add(
      "selfservice.flows.recovery.after.hooks",
      "must include revoke_active_sessions: a completed recovery has to end every other session",
    );
  }
}

function checkTemplates(config: YamlObject, ctx: CheckContext, add: (path: string, message: string) => void) {
  for (const [path, value] of stringLeaves(at(config, "courier.templates"), "courier.templates")) {
    checkFileExists(value, ctx.domain, path, add);
  }
}

function checkFileExists(url: string, domain: Domain, path: string, add: (p: string, m: string) => void) {
  const file = resolveKratosFileUrl(url, domain);
  if (!file) add(path, `must be a file:///etc/config/kratos/ (or, in production, file:///etc/config/kratos-prod/) URL, got "${url}"`);
  else if (!existsSync(file)) add(path, `refers to a missing file ${file}`);
}

function expectEqual(actual: unknown, expected: number, path: string, add: (p: string, m: string) => void) {
  if (actual !== expected) add(path, `must be ${expected} (port table), got ${String(actual)}`);
}

function hostOf(value: unknown): string | undefined {
  try {
    return typeof value === "string" ? new URL(value).hostname : undefined;
  } catch {
    return undefined;
  }
}
