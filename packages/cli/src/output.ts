import type { CliError } from "./errors";

export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  /** Where relative paths on the command line start (npm sets INIT_CWD to the caller's folder). */
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** A command's answer: `data` is its `--json` body, `lines` what a person reads. */
export interface CommandResult {
  ok: boolean;
  data: Record<string, unknown>;
  lines: string[];
}

/**
 * Everything a command prints goes through here. Human mode: results on
 * stdout, progress and errors on stderr, one line each. `--json`: exactly
 * one JSON document on stdout, success or error, and no progress.
 */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
    private readonly command: string,
  ) {}

  progress(message: string): void {
    if (!this.json) this.io.stderr(`  · ${message}\n`);
  }

  result(result: CommandResult): void {
    if (this.json) this.io.stdout(`${JSON.stringify({ ok: result.ok, command: this.command, ...result.data }, null, 2)}\n`);
    else for (const line of result.lines) this.io.stdout(`${line}\n`);
  }

  error(error: CliError): void {
    if (this.json) {
      this.io.stdout(
        `${JSON.stringify({ ok: false, command: this.command, error: { code: error.code, message: error.message, problems: error.problems } }, null, 2)}\n`,
      );
    } else {
      for (const problem of error.problems) this.io.stderr(`olympus: ${problem}\n`);
    }
  }

  text(text: string): void {
    this.io.stdout(text.endsWith("\n") ? text : `${text}\n`);
  }
}
