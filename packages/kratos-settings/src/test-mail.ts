import nodemailer from "nodemailer";

/** The stored SMTP settings (Athena's `smtp.*` group), password unsealed. */
export interface SmtpSettings {
  host: string;
  port: number;
  /**
   * As Kratos' courier would connect (courier/smtp.go, NewSMTPClient):
   * `tls` implicit TLS, `starttls` an upgrade it insists on, `none` plain
   * text. Unset: `tls` on port 465, otherwise `starttls`.
   */
  security?: "tls" | "starttls" | "none";
  /** Absent or empty: the relay is used without logging in (e.g. a development mail catcher). */
  username?: string;
  password?: string;
  fromAddress: string;
  fromName?: string;
}

export type TestMailErrorKind = "dns" | "refused" | "timeout" | "tls" | "auth" | "rejected" | "connection" | "other";

export type TestMailResult = { ok: true; messageId: string; response: string } | { ok: false; kind: TestMailErrorKind; error: string };

export interface TestMailOptions {
  /** Upper bound for connecting, the greeting and each answer; default 10 s. */
  timeoutMs?: number;
  /** The message's subject; a default names the host it went through. */
  subject?: string;
}

interface SmtpFailure {
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
  command?: unknown;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Port 465 is implicit TLS (RFC 8314); on any other port Kratos' smtp:// insists on STARTTLS. */
function securityOf(smtp: SmtpSettings): "tls" | "starttls" | "none" {
  return smtp.security ?? (smtp.port === 465 ? "tls" : "starttls");
}

/**
 * A sentence an admin can act on. Built from the failure's codes rather than
 * its message, because a server's reply may echo what was sent and the
 * message would then carry it onwards.
 */
function describeFailure(failure: SmtpFailure, smtp: SmtpSettings, timeoutMs: number): { kind: TestMailErrorKind; error: string } {
  const where = `${smtp.host}:${smtp.port}`;
  const code = typeof failure.code === "string" ? failure.code : "";
  const systemCode = typeof failure.originalCode === "string" ? failure.originalCode : code;
  const reply = typeof failure.responseCode === "number" ? ` (the server answered ${failure.responseCode})` : "";
  if (systemCode === "ECONNREFUSED") return { kind: "refused", error: `connection refused by ${where}` };
  if (code === "EDNS" || systemCode === "ENOTFOUND" || systemCode === "EAI_AGAIN") {
    return { kind: "dns", error: `the host name ${smtp.host} could not be resolved` };
  }
  if (code === "ETIMEDOUT" || systemCode === "ETIMEDOUT") {
    return { kind: "timeout", error: `no answer from ${where} within ${Math.round(timeoutMs / 1000)} s` };
  }
  if (code === "ETLS" || /^(ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO)/.test(systemCode)) {
    return {
      kind: "tls",
      error: `TLS with ${where} failed: the server offers no STARTTLS or its certificate is not trusted (465 is TLS, 587 STARTTLS)`,
    };
  }
  if (code === "EAUTH" || code === "ENOAUTH") return { kind: "auth", error: `authentication failed${reply}` };
  if (code === "EENVELOPE") return { kind: "rejected", error: `the server refused the sender or the recipient${reply}` };
  if (code === "EMESSAGE") return { kind: "rejected", error: `the server refused the message${reply}` };
  if (code === "ECONNECTION" || code === "ESOCKET" || systemCode === "ECONNRESET" || systemCode === "EHOSTUNREACH") {
    return { kind: "connection", error: `the connection to ${where} failed${reply}` };
  }
  return { kind: "other", error: `sending through ${where} failed${reply}` };
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends one plain-text message through the given settings and says what
 * happened: the test mail, and mail Athena sends itself (invitations), which
 * Kratos' courier has no API for. It never throws for an SMTP failure and
 * its text never contains the password.
 */
export async function sendSmtpMail(
  smtp: SmtpSettings,
  message: MailMessage,
  options: { timeoutMs?: number } = {},
): Promise<TestMailResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const auth = smtp.username ? { user: smtp.username, pass: smtp.password ?? "" } : undefined;
  const security = securityOf(smtp);
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: security === "tls",
    requireTLS: security === "starttls",
    ignoreTLS: security === "none",
    ...(auth ? { auth } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    // No nodemailer log output: its transcripts would include the AUTH exchange.
    logger: false,
    debug: false,
  });
  try {
    const info: unknown = await transport.sendMail({
      from: smtp.fromName ? { name: smtp.fromName, address: smtp.fromAddress } : smtp.fromAddress,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
    const sent: { messageId?: unknown; response?: unknown } = typeof info === "object" && info !== null ? info : {};
    const text = (value: unknown) => (typeof value === "string" ? value : "");
    return { ok: true, messageId: text(sent.messageId), response: text(sent.response) };
  } catch (caught) {
    const failure: SmtpFailure = typeof caught === "object" && caught !== null ? caught : {};
    return { ok: false, ...describeFailure(failure, smtp, timeoutMs) };
  } finally {
    transport.close();
  }
}

/** Sends a short test message to `to` with a short timeout (see `sendSmtpMail`). */
export function sendTestMail(smtp: SmtpSettings, to: string, options: TestMailOptions = {}): Promise<TestMailResult> {
  return sendSmtpMail(
    smtp,
    {
      to,
      subject: options.subject ?? `Test mail from Olympus through ${smtp.host}`,
      text: `This message was sent from Athena's settings to check the outgoing mail (SMTP) settings: ${smtp.host}:${smtp.port}.\nNo reply is needed.`,
    },
    options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
  );
}
