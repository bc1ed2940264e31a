import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { ConfigError, type KratosConfig } from "../config/load";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Left out when the HTML template could not be loaded: the mail goes as plain text only. */
  html?: string;
}

/** Sends one email or throws; the courier worker handles retries. */
export interface EmailSender {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/** Kratos' default sender when `courier.smtp.from_address` is unset. */
const DEFAULT_FROM = "no-reply@ory.kratos.sh";

/**
 * Builds transport options from `courier.smtp.connection_uri` the way Kratos
 * reads it: `smtp://` uses mandatory STARTTLS unless `?disable_starttls=true`,
 * `smtps://` uses implicit TLS; `skip_ssl_verify` and `server_name` tune TLS;
 * user info in the URI is the SMTP login.
 */
export function smtpTransportOptions(connectionUri: string, localName?: string): SMTPTransport.Options {
  let uri: URL;
  try {
    uri = new URL(connectionUri);
  } catch {
    throw new ConfigError(`courier.smtp.connection_uri is not a valid URL (expected e.g. smtp://user:password@host:587/)`);
  }
  const scheme = uri.protocol.replace(/:$/, "");
  if (scheme !== "smtp" && scheme !== "smtps") {
    throw new ConfigError(`courier.smtp.connection_uri must use smtp:// or smtps:// (got ${scheme}://)`);
  }
  const flag = (name: string) => ["true", "1", "t", "TRUE", "True"].includes(uri.searchParams.get(name) ?? "");
  const implicitTls = scheme === "smtps";
  const disableStartTls = !implicitTls && flag("disable_starttls");
  const options: SMTPTransport.Options = {
    host: uri.hostname,
    port: uri.port ? Number(uri.port) : implicitTls ? 465 : 25,
    secure: implicitTls,
    ignoreTLS: disableStartTls,
    requireTLS: !implicitTls && !disableStartTls,
    tls: {
      rejectUnauthorized: !flag("skip_ssl_verify"),
      servername: uri.searchParams.get("server_name") || uri.hostname,
      minVersion: "TLSv1.2",
    },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
  if (uri.username) options.auth = { user: decodeURIComponent(uri.username), pass: decodeURIComponent(uri.password) };
  if (localName) options.name = localName;
  return options;
}

export function createSmtpSender(config: KratosConfig): EmailSender | undefined {
  const smtp = config.courier.smtp;
  if (!smtp?.connection_uri) return undefined;
  const transport = nodemailer.createTransport(smtpTransportOptions(smtp.connection_uri, smtp.local_name));
  const address = smtp.from_address ?? DEFAULT_FROM;
  const from = smtp.from_name ? { name: smtp.from_name, address } : address;
  return {
    async send(email) {
      // nodemailer reads a `to` string as a list (commas) and keeps what follows a line break: one address only.
      if (!isOneMailbox(email.to)) throw new Error(`mail: the recipient ${JSON.stringify(email.to)} is not one address`);
      await transport.sendMail({ from, to: email.to, subject: email.subject, text: email.text, html: email.html, headers: smtp.headers });
    },
    close() {
      transport.close();
    },
  };
}

/**
 * Whether `to` is one plain address (local part, `@`, domain), with no
 * separator, bracket, quote or white space a mail library could read as a
 * second recipient or a header. Kratos refuses what net/mail.ParseAddress
 * refuses when it queues (courier/smtp.go QueueEmail); an address typed
 * into a flow (recovery v2's unknown-recipient notice) reaches the courier
 * unchecked otherwise, and a list there would mail every member.
 */
export function isOneMailbox(to: string): boolean {
  return /^[^\s,;<>"()\\[\]:@]+@[^\s,;<>"()\\[\]:@]+$/u.test(to);
}
