/**
 * `olympus dev`: the backend half of `npm run dev` (turbo starts the apps
 * beside it). Starts Postgres, the mail catcher and both domains' Kratos and
 * Hydra, seeds them, waits for Hera and Athena, prints the URL table and
 * "ready". Ctrl-C stops everything.
 *
 *   node --import tsx src/cli.ts          start (npm run dev)
 *   node --import tsx src/cli.ts reset    wipe .olympus/ (npm run dev:reset)
 */
import { startDevstack, type RunningDevstack } from "./devstack";
import { DevstackError, isAbortError, messageOf } from "./errors";
import { optionsFromEnv, type DevstackOptions } from "./options";
import { renderReadyTable } from "./output";
import { displayPath } from "./paths";
import { resetDataDir } from "./reset";

const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (error: unknown): never => {
  const message = error instanceof DevstackError ? error.message : `unexpected error: ${messageOf(error)}`;
  process.stderr.write(`devstack: ${message}\n`);
  if (!(error instanceof DevstackError) && process.env.OLYMPUS_DEV_DEBUG && error instanceof Error)
    process.stderr.write(`${error.stack}\n`);
  process.exit(1);
};

async function main(command: string | undefined): Promise<void> {
  let options: DevstackOptions;
  try {
    options = optionsFromEnv(process.env);
  } catch (error) {
    return fail(error);
  }

  if (command === "reset") {
    try {
      const outcome = await resetDataDir(options.dataDir);
      say(
        outcome === "deleted"
          ? `devstack: deleted ${displayPath(options.dataDir)}; the next npm run dev starts fresh`
          : `devstack: nothing to reset (${displayPath(options.dataDir)} does not exist)`,
      );
    } catch (error) {
      fail(error);
    }
    return;
  }
  if (command !== undefined && command !== "start") {
    process.stderr.write("usage: olympus dev [start|reset]   (npm run dev / npm run dev:reset)\n");
    process.exit(2);
  }

  const interrupt = new AbortController();
  let stack: RunningDevstack | undefined;
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      say(`devstack: still stopping (${signal} again ignored)…`);
      return;
    }
    stopping = true;
    if (!stack) {
      // Mid-start: the start-up sees the abort, closes what it started and rejects.
      say(`devstack: ${signal} received, stopping what has started…`);
      interrupt.abort();
      return;
    }
    say(`devstack: ${signal} received, stopping servers, mail catcher and Postgres…`);
    setTimeout(() => {
      process.stderr.write("devstack: stopping took over 30 s; exiting anyway\n");
      process.exit(1);
    }, 30_000).unref();
    await stack.close();
    say("devstack: stopped");
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop(signal));

  say(`devstack: starting the Olympus backend (data in ${displayPath(options.dataDir)})`);
  try {
    stack = await startDevstack(options, { signal: interrupt.signal, onProgress: (line) => say(`  · ${line}`) });
  } catch (error) {
    if (isAbortError(error)) {
      say("devstack: stopped before it was ready");
      process.exit(0);
    }
    return fail(error);
  }
  if (stopping) {
    // A signal landed between the last step and now.
    await stack.close();
    process.exit(0);
  }
  say(
    renderReadyTable({
      urls: stack.urls,
      admin: stack.admin,
      adminTokens: stack.adminTokens,
      apps: options.apps,
      dataDir: displayPath(options.dataDir),
      timings: stack.timings,
    }),
  );
  say("ready");
}

void main(process.argv[2]);
