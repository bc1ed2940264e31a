import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "@olympus/test-postgres";

/** A mail as the test SMTP server received it. */
export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * A real SMTP server (smtp-server) on a free port for tests: records every
 * mail, can be stopped and restarted on the same port to test retries.
 */
export class TestSmtpServer {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  private waiters: { match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];

  private constructor(readonly port: number) {}

  static async start(): Promise<TestSmtpServer> {
    const smtp = new TestSmtpServer(await freePort());
    await smtp.listen();
    return smtp;
  }

  /** The `courier.smtp.connection_uri` pointing at this server. */
  get connectionUri(): string {
    return `smtp://127.0.0.1:${this.port}/?disable_starttls=true`;
  }

  async listen(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const mail: ReceivedMail = {
              to: session.envelope.rcptTo.map((r) => r.address),
              from: parsed.from?.text ?? "",
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
            };
            this.mails.push(mail);
            this.waiters = this.waiters.filter((w) => {
              if (!w.match(mail)) return true;
              w.resolve(mail);
              return false;
            });
            callback();
          })
          .catch((error: unknown) => callback(error as Error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The first mail to `recipient` received from now on or already received and not yet taken. */
  waitFor(recipient: string, timeoutMs = 10_000): Promise<ReceivedMail> {
    const match = (m: ReceivedMail) => m.to.includes(recipient);
    const existing = this.mails.findIndex(match);
    if (existing >= 0) return Promise.resolve(this.mails.splice(existing, 1)[0] as ReceivedMail);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no mail to ${recipient} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          this.mails.splice(this.mails.indexOf(m), 1);
          resolve(m);
        },
      });
    });
  }

  mailsTo(recipient: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to.includes(recipient));
  }
}

/** The six-digit code of a mail body. */
export function codeFrom(mail: ReceivedMail): string {
  const m = /\b(\d{6})\b/.exec(mail.text);
  if (!m?.[1]) throw new Error(`no code in mail: ${mail.text}`);
  return m[1];
}

/** The first URL in a mail body that starts with `prefix`. */
export function linkFrom(mail: ReceivedMail, prefix: string): string {
  const url = mail.text.split(/\s+/).find((w) => w.startsWith(prefix));
  if (!url) throw new Error(`no link starting with ${prefix} in mail: ${mail.text}`);
  return url;
}
