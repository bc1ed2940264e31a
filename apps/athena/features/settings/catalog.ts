import { z } from "zod";

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

export const SETTING_GROUPS = {
  smtp: { title: "Outgoing mail (SMTP)", settings: SMTP },
  m2m: { title: "Machine clients (M2M)", settings: M2M },
} as const satisfies Record<string, { title: string; settings: readonly SettingDefinition[] }>;

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
export function checkSetting(key: string, value: string, secret: boolean): CheckedSetting {
  const definition = BY_KEY.get(key);
  if (!definition) return { ok: true, value, secret };
  const parsed = definition.rule.safeParse(value);
  if (!parsed.success) return { ok: false, rule: parsed.error.issues[0]?.message ?? "not a valid value" };
  return { ok: true, value: parsed.data, secret: definition.secret || secret };
}
