import { fork } from "node:child_process";
import { mkdir, open } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { DevstackError, throwIfAborted } from "../errors";
import { isAlive } from "../postgres/cluster";
import { catcherScript } from "./catcher-build";
import { settlesWithin, whenAborted } from "../wait";

export interface MailCatcherOptions {
  smtpPort: number;
  webPort: number;
  mailDirectory: string;
  logFile: string;
  /** Where the catcher's JavaScript is built (catcher-build.ts); kept across starts. */
  buildDirectory: string;
  signal?: AbortSignal;
}

export interface MailCatcher {
  pid: number;
  smtpUrl: string;
  /** The web inbox, for a browser. */
  inboxUrl: string;
  /** Base of the REST API on loopback, maildev's paths (`${apiUrl}/api/email`, `/api/healthz`). */
  apiUrl: string;
  stop(): Promise<void>;
}

const childMessage = z.union([
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
]);

const HOST = "127.0.0.1";

/** The newest mail kept (older mail is deleted), so the mail folder stays bounded over months of development. */
const MAX_EMAILS = 500;

/** Starts the mail catcher in a child process (see catcher-process.ts) and waits until SMTP and the inbox listen. */
export async function startMailCatcher(options: MailCatcherOptions): Promise<MailCatcher> {
  await mkdir(options.mailDirectory, { recursive: true });
  await mkdir(path.dirname(options.logFile), { recursive: true });
  const log = await open(options.logFile, "a");
  const entry = await catcherScript(options.buildDirectory);
  const settings = {
    smtpPort: options.smtpPort,
    webPort: options.webPort,
    host: HOST,
    mailDirectory: options.mailDirectory,
    maxEmails: MAX_EMAILS,
  };
  const child = fork(entry, [JSON.stringify(settings)], {
    // A small young generation, one thread and V8's memory-first mode: an idle catcher allocates little and has
    // nothing to compile or collect concurrently, and each helper thread costs memory. Plain JavaScript (catcher-build.ts).
    execArgv: ["--max-semi-space-size=1", "--single-threaded", "--optimize-for-size"],
    detached: true,
    stdio: ["ignore", log.fd, log.fd, "ipc"],
  });
  await log.close();
  const pid = child.pid;
  if (pid === undefined) throw new DevstackError("mail", "the mail catcher could not be started");

  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const exitWithin = (ms: number) => settlesWithin(exit, ms);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || !isAlive(pid)) return;
    // SIGTERM: a graceful close of both servers once the child has set up its handlers, plain termination before.
    child.kill("SIGTERM");
    if (!(await exitWithin(5_000))) {
      child.kill("SIGKILL");
      await exitWithin(2_000);
    }
  };

  try {
    await new Promise<void>((resolve, reject) => {
      whenAborted(options.signal, () => reject(new DevstackError("aborted", "start-up interrupted")));
      child.on("message", (raw) => {
        const message = childMessage.safeParse(raw);
        if (!message.success) return;
        if (message.data.type === "ready") resolve();
        else if (message.data.code === "EADDRINUSE") {
          const port = message.data.message.includes(String(options.webPort)) ? options.webPort : options.smtpPort;
          const service = port === options.webPort ? "mail inbox (web)" : "mail catcher SMTP";
          reject(new DevstackError("port-in-use", `port ${port} (${service}) is already in use`));
        } else reject(new DevstackError("mail", `the mail catcher failed to start: ${message.data.message}`));
      });
      child.on("exit", (code) =>
        reject(new DevstackError("mail", `the mail catcher exited during start-up (code ${code}); see ${options.logFile}`)),
      );
      setTimeout(
        () => reject(new DevstackError("mail", `the mail catcher did not start within 60 s; see ${options.logFile}`)),
        60_000,
      ).unref();
    });
    throwIfAborted(options.signal);
  } catch (error) {
    await stop();
    throw error;
  }
  // Keep the IPC channel from holding the dev stack's event loop open.
  child.unref();
  child.channel?.unref();
  return {
    pid,
    smtpUrl: `smtp://${HOST}:${options.smtpPort}`,
    inboxUrl: `http://localhost:${options.webPort}`,
    apiUrl: `http://${HOST}:${options.webPort}`,
    stop,
  };
}
