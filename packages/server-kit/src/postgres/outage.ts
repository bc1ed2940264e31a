import pg from "pg";

const NETWORK_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// Connection exceptions, "terminating connection due to administrator command", crash/startup shutdowns, too many connections.
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * True when an error means "the database cannot be reached right now"
 * (stopped, restarting, refusing connections, connection cut) rather than a
 * bug: the servers answer those with 503 and recover by themselves once the
 * pool reconnects. `alreadyMapped` recognises a server's own outage error
 * (one it made from such an error earlier), at any depth of an AggregateError.
 */
export function isDatabaseUnavailable(error: unknown, alreadyMapped: (error: unknown) => boolean = () => false): boolean {
  if (alreadyMapped(error)) return true;
  if (error instanceof AggregateError) return error.errors.some((inner) => isDatabaseUnavailable(inner, alreadyMapped));
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? "";
    return (
      code.startsWith("08") ||
      UNAVAILABLE_SQLSTATES.has(code) ||
      (code === "55000" && /not currently accepting connections/.test(error.message))
    );
  }
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && NETWORK_ERRORS.has(code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|connection error|Client was closed/i.test(
    error.message,
  );
}

export function isUniqueViolation(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && error.code === "23505";
}
