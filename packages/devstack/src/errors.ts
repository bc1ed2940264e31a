/**
 * Why the dev stack refused to start. Each kind has exactly one message a
 * newcomer can act on; the CLI prints `message` alone, never a stack trace.
 */
export type DevstackErrorKind = "port-in-use" | "postgres" | "config" | "seed-guard" | "seed" | "health" | "server" | "mail" | "aborted";

export class DevstackError extends Error {
  override name = "DevstackError";
  constructor(
    readonly kind: DevstackErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DevstackError && error.kind === "aborted";
}

/** Throws the standard "aborted" error when `signal` fired (Ctrl-C mid-start). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DevstackError("aborted", "start-up interrupted");
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
