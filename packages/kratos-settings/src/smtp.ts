/**
 * Athena's SMTP settings (the `smtp.*` keys of its settings catalogue) and the
 * `courier.smtp.connection_uri` Kratos reads them as. Kratos' courier
 * (courier/smtp.go, NewSMTPClient) takes everything from that one URI:
 * `smtps://` dials implicit TLS, `smtp://` insists on STARTTLS unless the
 * query says `disable_starttls=true`, and the user info (percent-decoded by
 * Go's url.Parse) is the login.
 */
export const SMTP_SETTING_KEYS = {
  host: "smtp.host",
  port: "smtp.port",
  username: "smtp.username",
  password: "smtp.password",
  fromAddress: "smtp.from_address",
  fromName: "smtp.from_name",
  security: "smtp.security",
} as const;

/**
 * How the connection is protected: `tls` (implicit TLS, port 465's way),
 * `starttls` (upgrade required, Kratos' default for smtp://) or `none`
 * (plain text — only for a relay on the same host or network, such as a
 * development mail catcher).
 */
export const SMTP_SECURITY_MODES = ["tls", "starttls", "none"] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY_MODES)[number];

export const DEFAULT_SMTP_PORT = 587;
const IMPLICIT_TLS_PORT = 465;

export interface StoredSmtpSettings {
  host: string;
  port: number;
  /** Unset: from the port (465 implicit TLS, otherwise STARTTLS). */
  security?: SmtpSecurity;
  username?: string;
  /** Unsealed: handle as a secret. */
  password?: string;
  fromAddress?: string;
  fromName?: string;
}

export interface StoredSmtpSettingsRead {
  /** Undefined while `smtp.host` is unset (or unusable): Kratos keeps its own config's SMTP then. */
  smtp?: StoredSmtpSettings;
  /** Keys whose stored text was unusable and was left out. Never values. */
  invalid: string[];
}

const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$|^\[[0-9a-f:.]{2,45}\]$/i;
const NO_LINE_BREAKS = /^[^\r\n\0]*$/;

/** The SMTP settings in `stored` (keys and unsealed values under `smtp.`). */
export function smtpSettingsFrom(stored: ReadonlyMap<string, string>): StoredSmtpSettingsRead {
  const invalid: string[] = [];
  const text = (key: string, valid: (value: string) => boolean): string | undefined => {
    const value = stored.get(key)?.trim();
    if (value === undefined || value === "") return undefined;
    if (valid(value) && NO_LINE_BREAKS.test(value)) return value;
    invalid.push(key);
    return undefined;
  };
  const host = text(SMTP_SETTING_KEYS.host, (value) => HOST.test(value));
  const portText = text(SMTP_SETTING_KEYS.port, (value) => /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65_535);
  const security = text(SMTP_SETTING_KEYS.security, (value) => (SMTP_SECURITY_MODES as readonly string[]).includes(value)) as
    SmtpSecurity | undefined;
  const username = text(SMTP_SETTING_KEYS.username, () => true);
  // A password is compared byte for byte: not trimmed.
  const password = stored.get(SMTP_SETTING_KEYS.password);
  if (password !== undefined && !NO_LINE_BREAKS.test(password)) invalid.push(SMTP_SETTING_KEYS.password);
  const fromAddress = text(SMTP_SETTING_KEYS.fromAddress, (value) => /^[^\s@<>"]+@[^\s@<>"]+$/.test(value));
  const fromName = text(SMTP_SETTING_KEYS.fromName, (value) => value.length <= 256);
  if (host === undefined) return { invalid };
  return {
    smtp: {
      host,
      port: portText === undefined ? DEFAULT_SMTP_PORT : Number(portText),
      ...(security ? { security } : {}),
      ...(username ? { username } : {}),
      ...(password && NO_LINE_BREAKS.test(password) ? { password } : {}),
      ...(fromAddress ? { fromAddress } : {}),
      ...(fromName ? { fromName } : {}),
    },
    invalid,
  };
}

/** The security a connection uses: the setting, else implicit TLS on 465 and STARTTLS elsewhere. */
export function effectiveSmtpSecurity(smtp: Pick<StoredSmtpSettings, "port" | "security">): SmtpSecurity {
  return smtp.security ?? (smtp.port === IMPLICIT_TLS_PORT ? "tls" : "starttls");
}

/**
 * `courier.smtp.connection_uri` for these settings, e.g.
 * `smtp://user%40example.com:p%40ss@smtp.example.com:587/`. Credentials are
 * percent-encoded so `@`, `:` and `/` in them survive Go's url.Parse.
 */
export function smtpConnectionUri(smtp: StoredSmtpSettings): string {
  const security = effectiveSmtpSecurity(smtp);
  const scheme = security === "tls" ? "smtps" : "smtp";
  let userInfo = "";
  if (smtp.username !== undefined) {
    userInfo = encodeURIComponent(smtp.username);
    if (smtp.password !== undefined) userInfo += `:${encodeURIComponent(smtp.password)}`;
    userInfo += "@";
  }
  const query = security === "none" ? "?disable_starttls=true" : "";
  return `${scheme}://${userInfo}${smtp.host}:${smtp.port}/${query}`;
}
