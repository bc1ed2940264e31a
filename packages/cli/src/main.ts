import { runOlympus } from "./cli";

/**
 * The `olympus` process. `npm run olympus -- <command>` runs it from the
 * repository root; INIT_CWD (set by npm) is where the caller typed it, so
 * relative paths mean what they meant there.
 */
process.exitCode = await runOlympus(process.argv.slice(2), {
  env: process.env,
  cwd: process.env.INIT_CWD ?? process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
