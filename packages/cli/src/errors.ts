import { AdminApiError } from "@olympus/ory-client/bootstrap";

/**
 * What went wrong, as the CLI reports it: a stable code (in `--json` output)
 * and a message of one line per problem that names what to change.
 *
 *   usage       the command line is wrong (exit 2)
 *   config      a variable or file is missing or invalid (exit 2)
 *   unreachable a service did not answer (exit 1)
 *   unauthorized an admin API refused the token (exit 1)
 *   failed      a service refused or misbehaved (exit 1)
 */
export type CliErrorCode = "usage" | "config" | "unreachable" | "unauthorized" | "failed";

export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    /** One line each. */
    readonly problems: readonly string[],
  ) {
    super(problems.join("; "));
    this.name = "CliError";
  }

  get exitCode(): number {
    return this.code === "usage" || this.code === "config" ? 2 : 1;
  }
}

export function usageError(message: string): CliError {
  return new CliError("usage", [message]);
}

export function configError(...problems: string[]): CliError {
  return new CliError("config", problems);
}

/**
 * Any error as a CliError. Admin API failures keep their one-line message;
 * a refused token gets the variable to set. Anything else is a bug or an
 * environment problem: its message, never a stack trace.
 */
export function toCliError(error: unknown, tokenVariable = "IAM_ADMIN_API_TOKEN"): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof AdminApiError) {
    if (error.kind === "unreachable") return new CliError("unreachable", [error.message]);
    if (error.kind === "unauthorized")
      return new CliError("unauthorized", [`${error.message}; set ${tokenVariable} to the token the admin APIs require`]);
    return new CliError("failed", [error.message]);
  }
  return new CliError("failed", [error instanceof Error ? error.message : String(error)]);
}
