import { z } from "zod";
import {
  CAPTCHA_DIFFICULTY,
  CAPTCHA_MAX_LOGIN_FAILURES,
  CAPTCHA_SETTING_KEYS,
  MAX_MFA_SETTING_GRACE_DAYS,
  parseMfaGraceDays,
  parseMfaRequired,
  parseSecondFactorMethods,
  parseSocialProviderKey,
  SECOND_FACTOR_METHODS,
  SECRET_SOCIAL_PROVIDER_FIELDS,
  SOCIAL_ENABLED_KEY,
  SOCIAL_RULES,
  type SocialCheck,
  type SocialProviderField,
} from "@olympus/athena-store/settings";

/**
 * The settings Athena knows by name: what each holds, the rule its text must
 * follow and whether it is a secret. A secret is sealed at rest whatever a
 * form says, so a password is never stored in clear because a box was left
 * unticked. Keys not listed here stay free-form (the store's own key and
 * length rules still apply).
 */
export interface SettingDefinition {
  readonly key: string;
  readonly label: string;
  readonly hint: string;
  readonly secret: boolean;
  readonly inputMode: "text" | "numeric" | "email";
  /** Several lines of text (a mail body): a text area rather than an input. */
  readonly multiline?: boolean;
  /** Parses the submitted text into the text that is stored; its messages name the rule. */
  readonly rule: z.ZodType<string, string>;
}

const NO_LINE_BREAKS = /^[^\r\n\0]*$/;
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV6_LITERAL = /^\[[0-9a-f:.]{2,45}\]$/i;
// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), tokens separated by single spaces.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
export const M2M_MAX_LIFETIME_MINUTES = 24 * 60;

const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, message)
    .refine((text) => Number(text) >= min && Number(text) <= max, message)
    .transform((text) => String(Number(text)));

const SMTP: readonly SettingDefinition[] = [
  {
    key: "smtp.host",
    label: "Host",
    hint: "The mail relay, e.g. smtp.example.com",
    secret: false,
    inputMode: "text",
    rule: z
      .string()
      .trim()
      .refine(
        (text) => HOST_NAME.test(text) || IPV6_LITERAL.test(text),
        "a host name such as smtp.example.com (letters, digits, dots and hyphens) or an address",
      ),
  },
  {
    key: "smtp.port",
    label: "Port",
    hint: "Usually 587 (STARTTLS) or 465 (TLS)",
    secret: false,
    inputMode: "numeric",
    rule: wholeNumber(1, 65_535, "a port number from 1 to 65535"),
  },
  {
    key: "smtp.username",
    label: "Username",
    hint: "The relay's login",
    secret: false,
    inputMode: "text",
    rule: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(256, "at most 256 characters")
      .regex(NO_LINE_BREAKS, "must not contain line breaks"),
  },
  {
    key: "smtp.password",
    label: "Password",
    hint: "Always encrypted; never shown again",
    secret: true,
    inputMode: "text",
    rule: z.string().min(1, "must not be empty").max(1024, "at most 1024 characters").regex(NO_LINE_BREAKS, "must not contain line breaks"),
  },
  {
    key: "smtp.from_address",
    label: "Sender address",
    hint: "The From: of every message, e.g. no-reply@example.com",
    secret: false,
    inputMode: "email",
    rule: z.string().trim().pipe(z.email("an email address such as no-reply@example.com")),
  },
  {
    key: "smtp.from_name",
    label: "Sender name",
    hint: "Shown beside the sender address, e.g. Example Support (optional)",
    secret: false,
    inputMode: "text",
    rule: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(256, "at most 256 characters")
      .regex(NO_LINE_BREAKS, "must not contain line breaks"),
  },
  {
    key: "smtp.security",
    label: "Connection security",
    hint: "tls (port 465), starttls (587) or none (a relay on this host or network only); unset: from the port",
    secret: false,
    inputMode: "text",
    rule: z
      .string()
      .trim()
      .toLowerCase()
      .refine((text) => ["tls", "starttls", "none"].includes(text), "tls, starttls or none"),
  },
];

const M2M: readonly SettingDefinition[] = [
  {
    key: "m2m.allowed_scopes",
    label: "Allowed scopes",
    hint: "Space-separated; a machine client may be given only these",
    secret: false,
    inputMode: "text",
    rule: z
      .string()
      .transform((text) => text.trim().split(/\s+/).filter(Boolean))
      .refine((tokens) => tokens.length > 0 && tokens.length <= 100, "between 1 and 100 scope names")
      .refine(
        (tokens) => tokens.every((token) => SCOPE_TOKEN.test(token)),
        "scope names separated by spaces, without quotes or backslashes",
      )
      .transform((tokens) => [...new Set(tokens)].join(" ")),
  },
  {
    key: "m2m.max_token_lifetime_minutes",
    label: "Longest token lifetime (minutes)",
    hint: "The cap on a machine client's access tokens",
    secret: false,
    inputMode: "numeric",
    rule: wholeNumber(1, M2M_MAX_LIFETIME_MINUTES, `a whole number of minutes from 1 to ${M2M_MAX_LIFETIME_MINUTES} (24 hours)`),
  },
];

/** `on`/`off` (true/false, yes/no accepted), stored as `on` or `off`. */
const onOff = z
  .string()
  .trim()
  .toLowerCase()
  .refine((text) => ["on", "off", "true", "false", "yes", "no"].includes(text), "on or off")
  .transform((text) => (["on", "true", "yes"].includes(text) ? "on" : "off"));

/** Hera's proof-of-work CAPTCHA (ALTCHA): read by Hera's edge at run time, within a few seconds of a save. */
export { CAPTCHA_DIFFICULTY };
const CAPTCHA: readonly SettingDefinition[] = [
  {
    key: CAPTCHA_SETTING_KEYS.registration,
    label: "On sign-up",
    hint: "on or off: every sign-up submission needs a solved challenge",
    secret: false,
    inputMode: "text",
    rule: onOff,
  },
  {
    key: CAPTCHA_SETTING_KEYS.recovery,
    label: "On account recovery",
    hint: "on or off: asking for a recovery mail needs a solved challenge",
    secret: false,
    inputMode: "text",
    rule: onOff,
  },
  {
    key: CAPTCHA_SETTING_KEYS.loginAfterFailures,
    label: "On sign-in after failed attempts",
    hint: "0 = never; N = once an account or a client address has N failed sign-ins in the limits' window",
    secret: false,
    inputMode: "numeric",
    rule: wholeNumber(0, CAPTCHA_MAX_LOGIN_FAILURES, `0 (never) or a number of failed sign-ins from 1 to ${CAPTCHA_MAX_LOGIN_FAILURES}`),
  },
  {
    key: CAPTCHA_SETTING_KEYS.difficulty,
    label: "Difficulty (ALTCHA max number)",
    hint: "The most SHA-256 hashes a browser may need; about half on average",
    secret: false,
    inputMode: "numeric",
    rule: wholeNumber(
      CAPTCHA_DIFFICULTY.min,
      CAPTCHA_DIFFICULTY.max,
      `a whole number from ${CAPTCHA_DIFFICULTY.min} to ${CAPTCHA_DIFFICULTY.max}`,
    ),
  },
];

/** A value as its store-side parser (the one Hera reads it with) understands it, normalised; `rule` when it does not. */
const parsedBy = <T>(parse: (text: string) => T | undefined, format: (value: T) => string, rule: string) =>
  z.string().transform((text, context) => {
    const value = parse(text);
    if (value === undefined) {
      context.addIssue({ code: "custom", message: rule });
      return z.NEVER;
    }
    return format(value);
  });

/** The second-factor policy Hera enforces on every sign-in of this domain (read at run time, within seconds of a save). */
const MFA: readonly SettingDefinition[] = [
  {
    key: "mfa.required",
    label: "Required",
    hint: "on or off: past the grace period, nobody signs in without a second factor",
    secret: false,
    inputMode: "text",
    rule: parsedBy(parseMfaRequired, (required) => (required ? "on" : "off"), "on or off"),
  },
  {
    key: "mfa.allowed_methods",
    label: "Allowed methods",
    hint: `Any of ${SECOND_FACTOR_METHODS.join(", ")} that this domain's Kratos has enabled; only these count and are offered`,
    secret: false,
    inputMode: "text",
    rule: parsedBy(parseSecondFactorMethods, (methods) => methods.join(" "), `one or more of ${SECOND_FACTOR_METHODS.join(", ")}`),
  },
  {
    key: "mfa.grace_days",
    label: "Grace period (days)",
    hint: "Days after an account is created during which it may still sign in without one",
    secret: false,
    inputMode: "numeric",
    rule: parsedBy(parseMfaGraceDays, String, `a whole number of days from 0 to ${MAX_MFA_SETTING_GRACE_DAYS}`),
  },
];

/** Athena's own invitation mail (features/identities/invitation): per domain, placeholders filled when sent. */
const INVITATION: readonly SettingDefinition[] = [
  {
    key: "invitation.subject",
    label: "Subject",
    hint: "One line; may use {{name}} and {{email}}",
    secret: false,
    inputMode: "text",
    rule: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(200, "at most 200 characters")
      .regex(NO_LINE_BREAKS, "one line, without line breaks"),
  },
  {
    key: "invitation.body",
    label: "Body",
    hint: "Plain text with {{link}} (required), {{expires_at}}, {{name}} and {{email}}",
    secret: false,
    inputMode: "text",
    multiline: true,
    rule: z
      .string()
      .transform((text) => text.replace(/\r\n?/g, "\n").trim())
      .refine((text) => text.length >= 1 && text.length <= 8_000, "between 1 and 8000 characters")
      .refine((text) => /\{\{\s*link\s*\}\}/.test(text), "must contain {{link}}, where the sign-in link goes")
      .refine((text) => !text.includes("\0"), "must not contain NUL characters"),
  },
];

export const SETTING_GROUPS = {
  smtp: { title: "Outgoing mail (SMTP)", saveLabel: "SMTP", settings: SMTP },
  m2m: { title: "Machine clients (M2M)", saveLabel: "M2M policy", settings: M2M },
  captcha: { title: "CAPTCHA", saveLabel: "CAPTCHA", settings: CAPTCHA },
  mfa: { title: "Second factor (MFA)", saveLabel: "MFA policy", settings: MFA },
  invitation: { title: "Invitation mail", saveLabel: "invitation mail", settings: INVITATION },
} as const satisfies Record<string, { title: string; saveLabel: string; settings: readonly SettingDefinition[] }>;

export type SettingGroupId = keyof typeof SETTING_GROUPS;
export const SETTING_GROUP_IDS = Object.keys(SETTING_GROUPS) as [SettingGroupId, ...SettingGroupId[]];

const BY_KEY: ReadonlyMap<string, SettingDefinition> = new Map(
  Object.values(SETTING_GROUPS).flatMap((group) => group.settings.map((s) => [s.key, s] as const)),
);

export function settingDefinition(key: string): SettingDefinition | undefined {
  return BY_KEY.get(key);
}

/** `rule` is the broken rule in words, e.g. "a port number from 1 to 65535". */
export type CheckedSetting = { ok: true; value: string; secret: boolean } | { ok: false; rule: string };

/**
 * A value as it will be stored: a known key's text checked against its rule
 * (and normalised, e.g. a port without leading zeros), its secrecy taken from
 * the catalogue rather than from the form; an unknown key passes unchanged.
 */
/** What the running deployment fixes, which a stored setting must not contradict. */
export interface DeploymentFacts {
  domain: "ciam" | "iam";
  /** AUTH_MFA_REQUIRED: Athena itself refuses an admin's sign-in below aal2 (outside a grace period Hera IAM vouches for). */
  athenaRequiresSecondFactor: boolean;
}

/**
 * A checked value this deployment cannot take: IAM's second factor turned off
 * while Athena itself requires one would leave every admin without one
 * unable to sign in to either Athena (Hera IAM would no longer send them to
 * enrol, Athena would still refuse them). Undefined when the value is fine.
 */
export function deploymentConflict(key: string, storedValue: string, deployment: DeploymentFacts): string | undefined {
  if (key === "mfa.required" && storedValue === "off" && deployment.domain === "iam" && deployment.athenaRequiresSecondFactor)
    return "cannot be off for IAM while Athena requires a second factor for admins (AUTH_MFA_REQUIRED=true): admins without one could no longer sign in to Athena";
  return undefined;
}

export function checkSetting(key: string, value: string, secret: boolean): CheckedSetting {
  const social = checkSocialSetting(key, value);
  if (social) return social;
  const definition = BY_KEY.get(key);
  if (!definition) return { ok: true, value, secret };
  const parsed = definition.rule.safeParse(value);
  if (!parsed.success) return { ok: false, rule: parsed.error.issues[0]?.message ?? "not a valid value" };
  return { ok: true, value: parsed.data, secret: definition.secret || secret };
}

const SOCIAL_FIELD_RULES: Record<SocialProviderField, (text: string) => SocialCheck<string | string[]>> = {
  issuer: SOCIAL_RULES.issuer,
  client_id: SOCIAL_RULES.clientId,
  client_secret: SOCIAL_RULES.clientSecret,
  scopes: SOCIAL_RULES.scopes,
  label: SOCIAL_RULES.label,
  mapper: SOCIAL_RULES.mapper,
};

/**
 * Social sign-in keys set by key (the free-form form) follow the same rules
 * as the "Social sign-in" section: a client secret is sealed however it
 * arrives. Undefined for any other key.
 */
function checkSocialSetting(key: string, value: string): CheckedSetting | undefined {
  if (key === SOCIAL_ENABLED_KEY) {
    const checked = SOCIAL_RULES.enabled(value);
    return checked.ok ? { ok: true, value: String(checked.value), secret: false } : { ok: false, rule: checked.rule };
  }
  const provider = parseSocialProviderKey(key);
  if (!provider) return undefined;
  const checked = SOCIAL_FIELD_RULES[provider.field](value);
  if (!checked.ok) return { ok: false, rule: checked.rule };
  return {
    ok: true,
    value: Array.isArray(checked.value) ? checked.value.join(" ") : checked.value,
    secret: SECRET_SOCIAL_PROVIDER_FIELDS.includes(provider.field),
  };
}
