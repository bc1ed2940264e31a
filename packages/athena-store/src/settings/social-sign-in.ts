import type { Domain } from "@olympus/runtime-config/config";

/**
 * A domain's social sign-in providers (generic OpenID Connect) as stored in
 * its settings: Athena's "Social sign-in" section writes them, the Kratos
 * config overlay reads them through `readSocialSignIn`. The checks here are
 * the one definition of each value's text, so a form and the overlay agree on
 * what a stored value means. Each message names the field and the rule.
 */
export const SOCIAL_ENABLED_KEY = "social.enabled";
export const SOCIAL_PROVIDER_KEY_PREFIX = "social.providers.";

/** The provider id is part of Kratos' callback URL (`/self-service/methods/oidc/callback/<id>`). */
export const SOCIAL_PROVIDER_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const SOCIAL_PROVIDER_FIELDS = ["issuer", "client_id", "client_secret", "scopes", "label", "mapper"] as const;
export type SocialProviderField = (typeof SOCIAL_PROVIDER_FIELDS)[number];
/** Fields a provider cannot work without; `mapper` is optional. */
export const REQUIRED_SOCIAL_PROVIDER_FIELDS: readonly SocialProviderField[] = ["issuer", "client_id", "client_secret", "scopes", "label"];
/** Always sealed at rest, whatever a form says. */
export const SECRET_SOCIAL_PROVIDER_FIELDS: readonly SocialProviderField[] = ["client_secret"];

export const SOCIAL_LABEL_MAX_LENGTH = 40;
export const SOCIAL_MAPPER_MAX_LENGTH = 8_192;
export const DEFAULT_SOCIAL_SCOPES = "openid email profile";

export function socialProviderKey(id: string, field: SocialProviderField): string {
  return `${SOCIAL_PROVIDER_KEY_PREFIX}${id}.${field}`;
}

/** A provider's key split into id and field; undefined for any other key. */
export function parseSocialProviderKey(key: string): { id: string; field: SocialProviderField } | undefined {
  if (!key.startsWith(SOCIAL_PROVIDER_KEY_PREFIX)) return undefined;
  const rest = key.slice(SOCIAL_PROVIDER_KEY_PREFIX.length);
  const dot = rest.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const id = rest.slice(0, dot);
  const field = rest.slice(dot + 1);
  if (!SOCIAL_PROVIDER_ID_PATTERN.test(id) || !(SOCIAL_PROVIDER_FIELDS as readonly string[]).includes(field)) return undefined;
  return { id, field: field as SocialProviderField };
}

/** `rule` is the whole message, naming the field and the rule it breaks. */
export type SocialCheck<T> = { ok: true; value: T } | { ok: false; rule: string };

const NO_LINE_BREAKS = /^[^\r\n\0]*$/;
// RFC 6749 §3.3 scope-token characters.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1"]);

const ok = <T>(value: T): SocialCheck<T> => ({ ok: true, value });
const broken = <T>(rule: string): SocialCheck<T> => ({ ok: false, rule });

function singleLine(text: string, field: string, max: number): SocialCheck<string> {
  const trimmed = text.trim();
  if (!trimmed) return broken(`${field} must not be empty`);
  if (trimmed.length > max) return broken(`${field} must be at most ${max} characters`);
  if (!NO_LINE_BREAKS.test(trimmed)) return broken(`${field} must not contain line breaks`);
  return ok(trimmed);
}

/** Each check takes the submitted (or stored) text and gives the text to store, or the broken rule. */
export const SOCIAL_RULES = {
  id: (text: string): SocialCheck<string> => {
    const trimmed = text.trim();
    return SOCIAL_PROVIDER_ID_PATTERN.test(trimmed)
      ? ok(trimmed)
      : broken("Provider id must be 1 to 32 lower-case letters, digits or hyphens, starting with a letter or digit");
  },

  issuer: (text: string): SocialCheck<string> => {
    const trimmed = text.trim();
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return broken("Issuer must be a URL such as https://accounts.example.com");
    }
    const loopback = LOOPBACK_HOSTS.has(url.hostname);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
      return broken("Issuer must be an https URL (http is allowed only for localhost or 127.0.0.1)");
    }
    if (url.username || url.password) return broken("Issuer must not contain a user name or password");
    // OpenID Connect Discovery 1.0 §2: an issuer has no query or fragment.
    if (url.search || url.hash || trimmed.includes("?") || trimmed.includes("#")) {
      return broken("Issuer must not have a query (?) or fragment (#)");
    }
    if (trimmed.length > 2_048) return broken("Issuer must be at most 2048 characters");
    // Kept as typed: it must equal the `iss` the provider puts in its tokens.
    return ok(trimmed);
  },

  clientId: (text: string): SocialCheck<string> => {
    return singleLine(text, "Client id", 256);
  },

  /** Not trimmed: a secret is compared byte for byte by the provider. */
  clientSecret: (text: string): SocialCheck<string> => {
    if (!text.trim()) return broken("Client secret must not be empty");
    if (text.length > 1_024) return broken("Client secret must be at most 1024 characters");
    if (!NO_LINE_BREAKS.test(text)) return broken("Client secret must not contain line breaks");
    return ok(text);
  },

  /** Space-separated, without repeats; `openid` is what makes the provider answer with an ID token. */
  scopes: (text: string): SocialCheck<string[]> => {
    const tokens = text.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0 || tokens.length > 50) return broken("Scopes must be 1 to 50 scope names separated by spaces");
    if (!tokens.every((token) => SCOPE_TOKEN.test(token))) return broken("Scopes must be names without quotes or backslashes");
    if (!tokens.includes("openid")) return broken("Scopes must include openid");
    return ok([...new Set(tokens)]);
  },

  label: (text: string): SocialCheck<string> => {
    const trimmed = text.trim();
    if (trimmed.length < 1 || trimmed.length > SOCIAL_LABEL_MAX_LENGTH) {
      return broken(`Button label must be 1 to ${SOCIAL_LABEL_MAX_LENGTH} characters`);
    }
    if (!NO_LINE_BREAKS.test(trimmed)) return broken("Button label must not contain line breaks");
    return ok(trimmed);
  },

  /** Jsonnet text; whether it evaluates is only known where it runs (Kratos' oidc strategy). */
  mapper: (text: string): SocialCheck<string> => {
    if (!text.trim()) return broken("Claims mapper must not be blank (leave it unset for the default mapper)");
    if (text.length > SOCIAL_MAPPER_MAX_LENGTH) return broken(`Claims mapper must be at most ${SOCIAL_MAPPER_MAX_LENGTH} characters`);
    if (text.includes("\0")) return broken("Claims mapper must not contain NUL characters");
    return ok(text);
  },

  /** `true`/`false` as stored (on/off and yes/no accepted from a form). */
  enabled: (text: string): SocialCheck<boolean> => {
    const word = text.trim().toLowerCase();
    if (["true", "on", "yes"].includes(word)) return ok(true);
    if (["false", "off", "no"].includes(word)) return ok(false);
    return broken("Social sign-in must be on or off");
  },
} as const;

/** Social sign-in is on by default for customers (CIAM); employees (IAM) normally use their password and a second factor. */
export function defaultSocialSignInEnabled(domain: Domain): boolean {
  return domain === "ciam";
}

export interface SocialProvider {
  id: string;
  label: string;
  issuer: string;
  clientId: string;
  /** Unsealed: handle as a secret. */
  clientSecret: string;
  scopes: string[];
  /** Jsonnet claims mapper; absent means the default mapper. */
  mapper?: string;
}

export interface SocialSignIn {
  enabled: boolean;
  /** Complete, valid providers, ordered by id. */
  providers: SocialProvider[];
  /** Stored keys that were ignored: a broken value, or a field missing from an otherwise stored provider. Never values. */
  invalid: string[];
}

/**
 * Reads one domain's settings whose key starts with `prefix`, secrets
 * unsealed (see `settingsReader`).
 */
export type ReadSettings = (domain: Domain, prefix: string) => Promise<ReadonlyMap<string, string>>;

/** The providers of `stored` (keys and unsealed values under `social.`), in the shape Kratos' oidc config needs. */
export function socialSignInFromSettings(domain: Domain, stored: ReadonlyMap<string, string>): SocialSignIn {
  const invalid: string[] = [];
  const enabledText = stored.get(SOCIAL_ENABLED_KEY);
  let enabled = defaultSocialSignInEnabled(domain);
  if (enabledText !== undefined) {
    const checked = SOCIAL_RULES.enabled(enabledText);
    if (checked.ok) enabled = checked.value;
    else invalid.push(SOCIAL_ENABLED_KEY);
  }

  const byId = new Map<string, Map<SocialProviderField, string>>();
  for (const [key, value] of stored) {
    const parsed = parseSocialProviderKey(key);
    if (!parsed) {
      if (key !== SOCIAL_ENABLED_KEY && key.startsWith("social.")) invalid.push(key);
      continue;
    }
    const fields = byId.get(parsed.id) ?? new Map<SocialProviderField, string>();
    fields.set(parsed.field, value);
    byId.set(parsed.id, fields);
  }

  const providers: SocialProvider[] = [];
  for (const id of [...byId.keys()].sort()) {
    const fields = byId.get(id) ?? new Map<SocialProviderField, string>();
    const field = <T>(name: SocialProviderField, check: (text: string) => SocialCheck<T>): T | undefined => {
      const text = fields.get(name);
      if (text === undefined) {
        if (REQUIRED_SOCIAL_PROVIDER_FIELDS.includes(name)) invalid.push(socialProviderKey(id, name));
        return undefined;
      }
      const checked = check(text);
      if (checked.ok) return checked.value;
      invalid.push(socialProviderKey(id, name));
      return undefined;
    };
    const issuer = field("issuer", SOCIAL_RULES.issuer);
    const clientId = field("client_id", SOCIAL_RULES.clientId);
    const clientSecret = field("client_secret", SOCIAL_RULES.clientSecret);
    const scopes = field("scopes", SOCIAL_RULES.scopes);
    const label = field("label", SOCIAL_RULES.label);
    const mapper = fields.has("mapper") ? field("mapper", SOCIAL_RULES.mapper) : undefined;
    const mapperBroken = fields.has("mapper") && mapper === undefined;
    // A provider with a broken mapper is left out rather than given the default mapper the admin replaced.
    if (issuer === undefined || clientId === undefined || clientSecret === undefined || !scopes || label === undefined || mapperBroken) {
      continue;
    }
    providers.push({ id, label, issuer, clientId, clientSecret, scopes, ...(mapper === undefined ? {} : { mapper }) });
  }
  return { enabled, providers, invalid };
}

/** A domain's social sign-in settings, read through `readSettings` (which unseals the client secrets). */
export async function readSocialSignIn(readSettings: ReadSettings, domain: Domain): Promise<SocialSignIn> {
  return socialSignInFromSettings(domain, await readSettings(domain, "social."));
}
