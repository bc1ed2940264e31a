import {
  DOMAINS,
  DOMAIN_PORT_RANGE,
  domainOfHost,
  domainOfPort,
  envPrefix,
  isDomain,
  olympusDomainRole,
  SERVICE_PORTS,
  type Domain,
} from "./domain";
import { ConfigError, InvalidConfigError } from "./errors";
import { loadSharedConfig, type Env, type SharedConfig } from "./load";
import {
  ATHENA_VARIABLES,
  AUTH_ISSUER_VARIABLE,
  AUTH_MFA_REQUIRED_VARIABLE,
  DEFAULT_SESSION_REVALIDATE_SECONDS,
  EXAMPLE_ENCRYPTION_KEYS,
  EXAMPLE_SECRET_VALUES,
  MIN_ENCRYPTION_KEY_BYTES,
  MIN_SECRET_LENGTH,
} from "./variables";

/**
 * Athena's configuration: the common instance config (without COOKIE_SECRET,
 * which only Hera uses) plus its IAM sign-in and the settings database.
 */
export interface AthenaConfig extends SharedConfig {
  auth: {
    /** IAM Hydra's issuer (no trailing slash), the same for Athena CIAM and Athena IAM. */
    issuerUrl: string;
    clientId: string;
    clientSecret: string;
    /** Signs and encrypts Athena's own session cookie (next-auth). */
    secret: string;
    /**
     * Only sign-ins IAM made with a second factor get in (ID token `acr`
     * aal2, or a grace period Hera IAM vouched for). AUTH_MFA_REQUIRED, default true.
     */
    mfaRequired: boolean;
  };
  /** The shared `olympus` database (settings, audit log, sessions), logged in as this domain's own role. */
  databaseUrl: string;
  /** Input to the settings store's HKDF; checked again there. */
  encryptionKey: string;
  /** The previous ENCRYPTION_KEY during a rotation (read-only), if set. */
  encryptionKeyPrevious: string | undefined;
  session: {
    /** A session's role is trusted this long; then Athena re-validates it with an IAM Hydra refresh. */
    revalidateSeconds: number;
  };
  machine: {
    /** Athena IAM: the client whose tokens the machine API accepts; undefined means none. */
    clientId: string | undefined;
  };
}

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,255}$/;
const MIN_CLIENT_SECRET_LENGTH = 16;
/** Ory's own databases: the settings store must never point into one of them. */
const ORY_DATABASE = /^(c?iam)_/;

/**
 * Validates an Athena instance's environment. Reports the common problems
 * (loadSharedConfig) and Athena's own together, in one line, like loadConfig.
 */
export function loadAthenaConfig(env: Env): AthenaConfig {
  const problems: ConfigError[] = [];
  let base: SharedConfig | undefined;
  try {
    base = loadSharedConfig(env);
  } catch (error) {
    if (!(error instanceof InvalidConfigError) || !isDomain(env.DOMAIN)) throw error;
    problems.push(...error.problems);
  }
  const domain = env.DOMAIN as Domain;
  const environment = base?.environment ?? (env.OLYMPUS_ENV === "development" ? "development" : "production");
  const fail = (variable: string, reason: string) => problems.push(new ConfigError(variable, reason));
  const read = (name: string) => readScoped(env, domain, name, fail);

  const issuerUrl = readIssuer(env, fail);
  const mfaRequired = readMfaRequired(env, fail);

  const clientId = read(ATHENA_VARIABLES.authClientId);
  if (clientId.value === undefined)
    fail(ATHENA_VARIABLES.authClientId, `is missing; set it to this Athena's OAuth2 client id in IAM Hydra`);
  else if (!CLIENT_ID.test(clientId.value)) fail(clientId.source, "must be an OAuth2 client id (letters, digits and . _ : -)");

  const secret = (name: string, minLength: number, hint: string) => {
    const { value, source } = read(name);
    if (value === undefined) {
      fail(name, `is missing; ${hint}`);
      return "";
    }
    if (Buffer.byteLength(value, "utf8") < minLength) fail(source, `must be at least ${minLength} characters, got ${value.length}`);
    else if (environment === "production" && (EXAMPLE_SECRET_VALUES.includes(value) || EXAMPLE_ENCRYPTION_KEYS.includes(value))) {
      fail(source, "is an example value from the docs; generate a new secret for production (openssl rand -hex 32)");
    }
    return value;
  };
  const clientSecret = secret(ATHENA_VARIABLES.authClientSecret, MIN_CLIENT_SECRET_LENGTH, "set it to the client's secret in IAM Hydra");
  const authSecret = secret(
    ATHENA_VARIABLES.authSecret,
    MIN_SECRET_LENGTH,
    `set it to a random value of at least ${MIN_SECRET_LENGTH} characters`,
  );
  const encryptionKey = secret(
    ATHENA_VARIABLES.encryptionKey,
    MIN_ENCRYPTION_KEY_BYTES,
    `set it to a random value of at least ${MIN_ENCRYPTION_KEY_BYTES} bytes`,
  );
  const previous =
    read(ATHENA_VARIABLES.encryptionKeyPrevious).value === undefined
      ? undefined
      : secret(ATHENA_VARIABLES.encryptionKeyPrevious, MIN_ENCRYPTION_KEY_BYTES, "");
  const databaseUrl = readDatabaseUrl(read(ATHENA_VARIABLES.databaseUrl), domain, fail);
  const revalidateSeconds = readRevalidateSeconds(read(ATHENA_VARIABLES.sessionRevalidateSeconds), fail);
  const machineClientId = readMachineClientId(read(ATHENA_VARIABLES.machineClientId), domain, fail);

  if (problems.length > 0 || base === undefined) throw new InvalidConfigError(problems);
  return {
    ...base,
    auth: { issuerUrl, clientId: clientId.value ?? "", clientSecret, secret: authSecret, mfaRequired },
    databaseUrl,
    encryptionKey,
    encryptionKeyPrevious: previous,
    session: { revalidateSeconds },
    machine: { clientId: machineClientId },
  };
}

/** The machine API is Athena IAM's (the control plane's way into a tenant); Athena CIAM has none to open. */
function readMachineClientId(setting: { value: string | undefined; source: string }, domain: Domain, fail: Fail): string | undefined {
  if (setting.value === undefined) return undefined;
  if (domain !== "iam") {
    fail(setting.source, "is for Athena IAM only (the machine API does not exist on Athena CIAM); unset it");
    return undefined;
  }
  if (!CLIENT_ID.test(setting.value)) {
    fail(setting.source, "must be an OAuth2 client id (letters, digits and . _ : -)");
    return undefined;
  }
  return setting.value;
}

type Fail = (variable: string, reason: string) => void;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** Plain or with this domain's prefix; both set means they must agree (as in loadConfig). */
function readScoped(env: Env, domain: Domain, name: string, fail: Fail): { value: string | undefined; source: string } {
  const prefixedName = `${envPrefix(domain)}${name}`;
  const plain = nonEmpty(env[name]);
  const prefixed = nonEmpty(env[prefixedName]);
  if (plain !== undefined && prefixed !== undefined && plain !== prefixed)
    fail(name, `conflicts with ${prefixedName}; set only one of them`);
  return prefixed !== undefined ? { value: prefixed, source: prefixedName } : { value: plain, source: name };
}

/**
 * AUTH_ISSUER_URL must be IAM Hydra's public URL on both domains: Athena
 * CIAM signs employees in through IAM, never through CIAM Hydra. It is
 * recognised by a host that names IAM (iam.example.com, iam-hydra,
 * iam.localhost on any IAM port) or, on a bare address, by IAM Hydra's public
 * port (4102); anything on the CIAM side is refused.
 */
function readIssuer(env: Env, fail: Fail): string {
  for (const d of DOMAINS) {
    const prefixed = `${envPrefix(d)}${AUTH_ISSUER_VARIABLE}`;
    if (nonEmpty(env[prefixed]) !== undefined)
      fail(prefixed, `the issuer is IAM Hydra for both domains; set ${AUTH_ISSUER_VARIABLE} without a prefix`);
  }
  const value = nonEmpty(env[AUTH_ISSUER_VARIABLE]);
  const name = AUTH_ISSUER_VARIABLE;
  if (value === undefined) {
    fail(name, "is missing; set it to IAM Hydra's public issuer URL (e.g. http://iam.localhost:4102/)");
    return "";
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(name, `is not a valid URL: "${value}"`);
    return "";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    fail(name, `must be an http(s) URL, got "${url.protocol}"`);
    return "";
  }
  if (url.username || url.password || url.search || url.hash) {
    fail(name, "must be a bare issuer URL (no credentials, query or fragment)");
    return "";
  }
  const port = url.port === "" ? undefined : Number(url.port);
  const hydraPort = SERVICE_PORTS.iam.hydraPublic;
  const hostDomain = domainOfHost(url.hostname);
  const portDomain = port === undefined ? undefined : domainOfPort(port);
  if (hostDomain === "ciam" || portDomain === "ciam") {
    const range = DOMAIN_PORT_RANGE.ciam;
    const why =
      hostDomain === "ciam"
        ? `host "${url.hostname}" belongs to the ciam domain`
        : `port ${port} is in the ciam range (${range.min}-${range.max})`;
    fail(name, `${why}; Athena signs employees in through IAM Hydra only`);
    return "";
  }
  if (hostDomain !== "iam" && portDomain === "iam" && port !== hydraPort) {
    fail(name, `port ${port} is not IAM Hydra's public port (${hydraPort})`);
    return "";
  }
  if (hostDomain !== "iam" && port !== hydraPort) {
    fail(name, `cannot tell that "${url.host}" is IAM Hydra; use a host named iam.* / iam-hydra or port ${hydraPort}`);
    return "";
  }
  return url.toString().replace(/\/$/, "");
}

/**
 * AUTH_MFA_REQUIRED: `true` (the default) or `false`. It states IAM's policy,
 * the same for Athena CIAM and Athena IAM, so a prefixed spelling (which
 * would otherwise be silently ignored) is refused like the issuer's.
 */
function readMfaRequired(env: Env, fail: Fail): boolean {
  const name = AUTH_MFA_REQUIRED_VARIABLE;
  for (const d of DOMAINS) {
    const prefixed = `${envPrefix(d)}${name}`;
    if (nonEmpty(env[prefixed]) !== undefined)
      fail(prefixed, `the second-factor requirement is IAM's for both Athenas; set ${name} without a prefix`);
  }
  const value = nonEmpty(env[name])?.toLowerCase();
  if (value === undefined || value === "true") return true;
  if (value === "false") return false;
  fail(name, `must be "true" or "false", got "${env[name] ?? ""}"`);
  return true;
}

/**
 * Whole seconds, at most the default (5 minutes): the window bounds how long
 * a demoted or deactivated employee keeps acting, so it may only be shortened
 * (tests use a few seconds).
 */
function readRevalidateSeconds({ value, source }: { value: string | undefined; source: string }, fail: Fail): number {
  if (value === undefined) return DEFAULT_SESSION_REVALIDATE_SECONDS;
  const seconds = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds >= 1 && seconds <= DEFAULT_SESSION_REVALIDATE_SECONDS)) {
    fail(source, `must be a whole number of seconds from 1 to ${DEFAULT_SESSION_REVALIDATE_SECONDS}, got "${value}"`);
    return DEFAULT_SESSION_REVALIDATE_SECONDS;
  }
  return seconds;
}

/**
 * The `olympus` database, logged in as this domain's own role: row-level
 * security gives a connection the rows of the role it logged in as, so any
 * other role (the other domain's, the migrator, the old shared `olympus`)
 * would reach the wrong rows or hold rights Athena must not have.
 */
function readDatabaseUrl({ value, source }: { value: string | undefined; source: string }, domain: Domain, fail: Fail): string {
  const role = olympusDomainRole(domain);
  if (value === undefined) {
    fail(
      ATHENA_VARIABLES.databaseUrl,
      `is missing; set it to the olympus database with this domain's role, e.g. postgres://${role}:…@127.0.0.1:5432/olympus`,
    );
    return "";
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(source, "is not a valid postgres:// URL");
    return "";
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    fail(source, `must be a postgres:// URL, got "${url.protocol}"`);
    return "";
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (database === "") fail(source, "must name the database (…/olympus)");
  else if (ORY_DATABASE.test(database)) fail(source, `points at "${database}", an Ory database; use the olympus settings database`);
  const users = [decodeURIComponent(url.username), ...url.searchParams.getAll("user")];
  const wrong = users.find((user) => user !== role);
  if (wrong !== undefined) {
    const whose = wrong === "" ? "names no role" : `logs in as "${wrong}"`;
    fail(
      source,
      `${whose}; Athena ${domain.toUpperCase()} must log in as "${role}", its own domain's role in the olympus database (platform/postgres/init.sql)`,
    );
  }
  return value;
}
