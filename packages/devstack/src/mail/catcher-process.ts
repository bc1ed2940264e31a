/**
 * The mail catcher's own process: a receive-only SMTP server (mail/smtp.ts)
 * that keeps every mail it is handed (mail/inbox.ts, parsed by mail/mime.ts)
 * and an HTTP server with maildev's REST API and an inbox page
 * (mail/inbox-http.ts). It replaces maildev, whose web stack (fastify,
 * socket.io, jsdom to sanitise HTML) made the catcher cost more memory than
 * the four Ory servers' share of the backend; nothing here goes beyond
 * Node itself. An HTML mail is shown in a sandboxed frame under a CSP
 * instead of being sanitised.
 *
 * A child, not part of the process hosting the Ory servers, so the fault
 * runs can stop and restart it like any mail server; it exits as soon as the
 * dev stack does — even one killed with SIGKILL, since the IPC channel then
 * closes. Started by mail/catcher.ts with one JSON argument, as plain
 * JavaScript stripped from these sources (mail/catcher-build.ts): so this
 * file and the modules it imports use only erasable syntax, import nothing
 * but each other (by their `.ts` name) and Node's own modules.
 */
import { createServer, type Server } from "node:http";
import type { Server as NetServer } from "node:net";
import { Inbox } from "./inbox.ts";
import { inboxHandler } from "./inbox-http.ts";
import { createSmtpReceiver } from "./smtp.ts";

interface CatcherSettings {
  smtpPort: number;
  webPort: number;
  host: string;
  mailDirectory: string;
  maxEmails: number;
}

/** The one argument catcher.ts passes; checked by hand, as loading a schema library here would cost more memory than the rest of the catcher. */
function parseSettings(json: string | undefined): CatcherSettings {
  const raw: unknown = JSON.parse(json ?? "{}");
  const fields = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const port = (key: string) => {
    const value = fields[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535)
      throw new Error(`mail catcher: ${key} must be a port number`);
    return value;
  };
  const text = (key: string) => {
    const value = fields[key];
    if (typeof value !== "string" || value === "") throw new Error(`mail catcher: ${key} must be a non-empty string`);
    return value;
  };
  const maxEmails = fields.maxEmails;
  if (typeof maxEmails !== "number" || !Number.isInteger(maxEmails) || maxEmails < 1)
    throw new Error("mail catcher: maxEmails must be a positive integer");
  return { smtpPort: port("smtpPort"), webPort: port("webPort"), host: text("host"), mailDirectory: text("mailDirectory"), maxEmails };
}

const settings = parseSettings(process.argv[2]);

/** The largest mail accepted (Kratos' mails are a few kB). */
const MAX_MAIL_BYTES = 10 * 1024 * 1024;

function listen(server: Server | NetServer, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, settings.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

let smtp: NetServer | undefined;
let web: Server | undefined;
let stopping = false;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all([
    new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve())),
    new Promise<void>((resolve) => {
      if (!web) return resolve();
      web.close(() => resolve());
      web.closeAllConnections();
    }),
  ]);
  process.exit(code);
}

async function start(): Promise<void> {
  const inbox = await Inbox.open(settings.mailDirectory, settings.maxEmails);
  smtp = createSmtpReceiver({ maxBytes: MAX_MAIL_BYTES, onMessage: async (raw, envelope) => void (await inbox.add(raw, envelope)) });
  web = createServer(inboxHandler(inbox));
  await listen(smtp, settings.smtpPort);
  await listen(web, settings.webPort);
}

process.on("disconnect", () => void stop(0));
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

start().then(
  () => process.send?.({ type: "ready" }),
  (error: NodeJS.ErrnoException) => {
    // EADDRINUSE messages name the port, which catcher.ts reports as the service in the way.
    process.send?.({ type: "error", code: error.code ?? "", message: error.message });
    void stop(1);
  },
);
