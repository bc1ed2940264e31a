import { runOlympus } from "../cli";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document `--json` prints. */
  json(): Record<string, unknown>;
}

/** Runs one `olympus` command line in this process with exactly `env` (nothing from the test's own environment). */
export async function olympus(args: string[], env: Record<string, string | undefined>, cwd = process.cwd()): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runOlympus(args, { env, cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return {
    code,
    stdout,
    stderr,
    json: () => JSON.parse(stdout) as Record<string, unknown>,
  };
}
