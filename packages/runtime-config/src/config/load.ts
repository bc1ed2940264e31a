import { z } from "zod";
import {
  DEFAULT_BRANDING,
  DEFAULT_MFA_POLICY,
  DOMAIN_PORT_RANGE,
  domainOfHost,
  domainOfPort,
  envPrefix,
  isDomain,
  otherDomain,
  type Branding,
  type Domain,
  type MfaPolicy,
} from "./domain";
import { ConfigError, InvalidConfigError } from "./errors";
import {
  BRANDING_VARIABLES,
  DOMAIN_SCOPED_VARIABLES,
  EXAMPLE_SECRET_VALUES,
  MAX_MFA_GRACE_DAYS,
  MFA_VARIABLES,
  MIN_SECRET_LENGTH,
  RETIRED_VARIABLES,
  SECRET_VARIABLES,
  SERVICE_URL_VARIABLES,
} from "./variables";

export type Environment = "development" | "production";

/** The validated, typed configuration of one app instance serving one domain. */
export interface OlympusConfig {
  domain: Domain;
  environment: Environment;
  /** This instance's own public base URL (what browsers see). */
  publicUrl: string;
  kratos: { publicUrl: string; adminUrl: string };
  hydra: { publicUrl: string; adminUrl: string };
  branding: Branding;
  /** This domain's second-factor policy for OAuth2 sign-ins (MFA_REQUIRED, MFA_GRACE_DAYS). */
  mfa: MfaPolicy;
  secrets: { cookieSecret: string; adminApiToken: string | undefined };
}

/**
 * What every app instance reads: OlympusConfig without COOKIE_SECRET, which
 * only Hera uses (it keys the re-authentication proof,
 * apps/hera/lib/server/reauth-proof.ts). Athena's configuration builds on
 * this, so an Athena is never asked for a secret it does not use.
 */
export type SharedConfig = Omit<OlympusConfig, "secrets"> & { secrets: Omit<OlympusConfig["secrets"], "cookieSecret"> };

export type Env = Readonly<Record<string, string | undefined>>;

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #2563eb");
const logoPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._/-]*$/, "must be an absolute path under the app, like /brand/logo.svg")
  .refine((p) => !p.includes(".."), "must not contain '..'");
const productName = z.string().max(60, "must be at most 60 characters");
const supportUrl = z
  .string()
  .refine((value) => /^(https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s@]+)$/.test(value), "must be an http(s) or mailto: URL");

/**
 * Reads and validates the configuration for one domain from `env`, with
 * COOKIE_SECRET (Hera's). Throws InvalidConfigError naming every offending
 * variable; never returns a half-valid config.
 */
export function loadConfig(env: Env): OlympusConfig {
  const { config, cookieSecret } = readInstanceConfig(env, true);
  return { ...config, secrets: { ...config.secrets, cookieSecret } };
}

/** As loadConfig, without COOKIE_SECRET (Athena's base): it is neither read nor required. */
export function loadSharedConfig(env: Env): SharedConfig {
  return readInstanceConfig(env, false).config;
}

function readInstanceConfig(env: Env, withCookieSecret: boolean): { config: SharedConfig; cookieSecret: string } {
  const problems: ConfigError[] = [];
  const fail = (variable: string, reason: string) => problems.push(new ConfigError(variable, reason));

  const rawDomain = env.DOMAIN;
  if (!isDomain(rawDomain)) {
    fail("DOMAIN", rawDomain ? `must be "ciam" or "iam", got "${rawDomain}"` : "is missing; set DOMAIN=ciam or DOMAIN=iam");
    throw new InvalidConfigError(problems);
  }
  const domain = rawDomain;
  const other = otherDomain(domain);

  const environment = readEnvironment(env, fail);
  rejectOtherDomainVariables(env, domain, fail);
  rejectDomainInPublicBuildVariables(env, fail);

  const read = (name: string) => readDomainVariable(env, domain, name, fail);
  const url = (name: string) => {
    const { value, source } = read(name);
    if (value === undefined) {
      fail(name, `is missing; set ${name} or ${envPrefix(domain)}${name}`);
      return "";
    }
    return validateServiceUrl(value, source, domain, other, fail);
  };

  const kratos = { publicUrl: url(SERVICE_URL_VARIABLES.kratosPublicUrl), adminUrl: url(SERVICE_URL_VARIABLES.kratosAdminUrl) };
  const hydra = { publicUrl: url(SERVICE_URL_VARIABLES.hydraPublicUrl), adminUrl: url(SERVICE_URL_VARIABLES.hydraAdminUrl) };
  const publicUrl = url(SERVICE_URL_VARIABLES.publicUrl);
  for (const [name, replacement] of Object.entries(RETIRED_VARIABLES)) {
    const { value, source } = read(name);
    if (value !== undefined) fail(source, `is no longer read: ${replacement}`);
  }

  const defaults = DEFAULT_BRANDING[domain];
  const branded = <T extends string>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const { value, source } = read(name);
    if (value === undefined) return fallback;
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      fail(source, parsed.error.issues[0]?.message ?? "is invalid");
      return fallback;
    }
    return parsed.data;
  };
  const branding: Branding = {
    productName: branded(BRANDING_VARIABLES.productName, productName, defaults.productName),
    primaryColor: branded(BRANDING_VARIABLES.primaryColor, hexColor, defaults.primaryColor),
    accentColor: branded(BRANDING_VARIABLES.accentColor, hexColor, defaults.accentColor),
    logoPath: branded(BRANDING_VARIABLES.logoPath, logoPath, defaults.logoPath),
    supportUrl: branded(BRANDING_VARIABLES.supportUrl, supportUrl, defaults.supportUrl),
  };

  const mfa = readMfaPolicy(read, DEFAULT_MFA_POLICY[domain], fail);

  const secret = (name: string, required: boolean) => {
    const { value, source } = read(name);
    if (value === undefined) {
      if (required) fail(name, `is missing; set ${name} to a random value of at least ${MIN_SECRET_LENGTH} characters`);
      return undefined;
    }
    if (value.length < MIN_SECRET_LENGTH) {
      fail(source, `must be at least ${MIN_SECRET_LENGTH} characters, got ${value.length}`);
    } else if (environment === "production" && EXAMPLE_SECRET_VALUES.includes(value)) {
      fail(source, "is an example value from the docs; generate a new secret for production (openssl rand -hex 32)");
    }
    return value;
  };
  const cookieSecret = withCookieSecret ? (secret(SECRET_VARIABLES.cookieSecret, true) ?? "") : "";
  const secrets = { adminApiToken: secret(SECRET_VARIABLES.adminApiToken, false) };

  if (problems.length > 0) throw new InvalidConfigError(problems);
  return { config: { domain, environment, publicUrl, kratos, hydra, branding, mfa, secrets }, cookieSecret };
}

/** MFA_REQUIRED is `true` or `false`; MFA_GRACE_DAYS whole days from 0 to 365. Unset: the domain's default. */
function readMfaPolicy(
  read: (name: string) => { value: string | undefined; source: string },
  defaults: MfaPolicy,
  fail: (v: string, r: string) => void,
): MfaPolicy {
  const policy = { ...defaults };
  const required = read(MFA_VARIABLES.required);
  if (required.value !== undefined) {
    const value = required.value.toLowerCase();
    if (value === "true" || value === "false") policy.required = value === "true";
    else fail(required.source, `must be "true" or "false", got "${required.value}"`);
  }
  const grace = read(MFA_VARIABLES.graceDays);
  if (grace.value !== undefined) {
    const days = /^\d{1,3}$/.test(grace.value) ? Number(grace.value) : Number.NaN;
    if (days >= 0 && days <= MAX_MFA_GRACE_DAYS) policy.graceDays = days;
    else fail(grace.source, `must be a whole number of days from 0 to ${MAX_MFA_GRACE_DAYS}, got "${grace.value}"`);
  }
  return policy;
}

function readEnvironment(env: Env, fail: (v: string, r: string) => void): Environment {
  const value = env.OLYMPUS_ENV ?? "production";
  if (value === "development" || value === "production") return value;
  fail("OLYMPUS_ENV", `must be "development" or "production", got "${value}"`);
  return "production";
}

/** A value may come plain or prefixed; if both are set they must agree. */
function readDomainVariable(
  env: Env,
  domain: Domain,
  name: string,
  fail: (v: string, r: string) => void,
): { value: string | undefined; source: string } {
  const prefixedName = `${envPrefix(domain)}${name}`;
  const plain = nonEmpty(env[name]);
  const prefixed = nonEmpty(env[prefixedName]);
  if (plain !== undefined && prefixed !== undefined && plain !== prefixed) {
    fail(name, `conflicts with ${prefixedName}; set only one of them`);
  }
  if (prefixed !== undefined) return { value: prefixed, source: prefixedName };
  return { value: plain, source: name };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** An instance must not even hold the other domain's values: their presence means a mixed-up deployment. */
function rejectOtherDomainVariables(env: Env, domain: Domain, fail: (v: string, r: string) => void) {
  const prefix = envPrefix(otherDomain(domain));
  for (const name of DOMAIN_SCOPED_VARIABLES) {
    const foreign = `${prefix}${name}`;
    if (nonEmpty(env[foreign]) !== undefined) {
      fail(foreign, `belongs to the ${otherDomain(domain)} domain but this instance has DOMAIN=${domain}; remove it`);
    }
  }
}

/**
 * NEXT_PUBLIC_* values are inlined at build time, so one that names a domain
 * would tie the build to it. The domain must only ever come from runtime env.
 */
function rejectDomainInPublicBuildVariables(env: Env, fail: (v: string, r: string) => void) {
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("NEXT_PUBLIC_") || value === undefined) continue;
    if (/(^|_)(C?IAM|DOMAIN|KRATOS|HYDRA)(_|$)/.test(name.slice("NEXT_PUBLIC_".length)) || /\b(c?iam)\b/i.test(value)) {
      fail(name, "NEXT_PUBLIC_* values are baked into the build and must not encode the domain; use runtime env instead");
    }
  }
}

function validateServiceUrl(value: string, variable: string, domain: Domain, other: Domain, fail: (v: string, r: string) => void): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    fail(variable, `is not a valid URL: "${value}"`);
    return "";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    fail(variable, `must be an http(s) URL, got "${parsed.protocol}"`);
    return "";
  }
  if (parsed.username || parsed.password) {
    fail(variable, "must not carry credentials in the URL");
    return "";
  }
  const port = parsed.port === "" ? undefined : Number(parsed.port);
  if (port !== undefined && domainOfPort(port) === other) {
    const range = DOMAIN_PORT_RANGE[other];
    fail(variable, `port ${port} is in the ${other} range (${range.min}-${range.max}) but DOMAIN=${domain}`);
    return "";
  }
  if (domainOfHost(parsed.hostname) === other) {
    fail(variable, `host "${parsed.hostname}" belongs to the ${other} domain but DOMAIN=${domain}`);
    return "";
  }
  // Normalise: no trailing slash, so callers can append paths safely.
  return parsed.toString().replace(/\/$/, "");
}
