/**
 * The mail catcher's own process: maildev (SMTP + web inbox + REST API) with
 * its mail kept under the data dir. It lives in a child so its ~100 MB of web
 * stack stays out of the process hosting the four Ory servers, and it exits
 * as soon as the dev stack does — even a dev stack killed with SIGKILL, since
 * the IPC channel then closes.
 *
 * Started by mail/catcher.ts with one JSON argument (MailCatcherSettings).
 */
import { MailDev } from "maildev";
import { z } from "zod";

const settings = z
  .object({ smtpPort: z.number().int(), webPort: z.number().int(), host: z.string(), mailDirectory: z.string() })
  .parse(JSON.parse(process.argv[2] ?? "{}"));

const maildev = new MailDev({
  smtp: settings.smtpPort,
  ip: settings.host,
  web: settings.webPort,
  webIp: settings.host,
  mailDirectory: settings.mailDirectory,
  // Keeps both memory and the mail folder bounded over months of development.
  maxEmails: 500,
  silent: true,
});

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await maildev.stop().catch(() => {});
  process.exit(code);
}

process.on("disconnect", () => void stop(0));
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

maildev.start().then(
  () => process.send?.({ type: "ready" }),
  (error: NodeJS.ErrnoException) => {
    process.send?.({ type: "error", code: error.code ?? "", message: error.message });
    void stop(1);
  },
);
