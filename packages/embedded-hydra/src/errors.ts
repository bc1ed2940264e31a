import type { ServerResponse } from "node:http";
import { isDatabaseUnavailable } from "./storage/db";

/**
 * The one error type of the admin and glue layers: an HTTP status plus a
 * stable OAuth2/Hydra error id. Rendered as `{error, error_description}`;
 * anything else thrown is rendered as a 500 without internals.
 */
export class HydraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }

  static notFound(description = "Unable to locate the requested resource"): HydraError {
    return new HydraError(404, "not_found", description);
  }

  static badRequest(description: string, error = "invalid_request"): HydraError {
    return new HydraError(400, error, description);
  }
}

export function errorBody(error: HydraError): { error: string; error_description: string; status_code: number } {
  return { error: error.error, error_description: error.description, status_code: error.status };
}

/** Retry-After of every 503 the server sends while Postgres is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = "5";

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: unknown, onInternal?: (error: unknown) => void): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (error instanceof HydraError) {
    sendJson(res, error.status, errorBody(error));
    return;
  }
  if (isDatabaseUnavailable(error)) {
    // Postgres is down or restarting: not a bug, and the pool reconnects by itself.
    sendJson(
      res,
      503,
      { error: "temporarily_unavailable", error_description: "The database cannot be reached at the moment; retry shortly", status_code: 503 },
      { "retry-after": DATABASE_RETRY_AFTER_SECONDS },
    );
    return;
  }
  onInternal?.(error);
  sendJson(res, 500, {
    error: "server_error",
    error_description: "The authorization server encountered an unexpected condition",
    status_code: 500,
  });
}
