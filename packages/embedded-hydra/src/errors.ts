import type { ServerResponse } from "node:http";
import { goJsonEncode, goJsonMarshal } from "@olympus/server-kit/go-json";
import { isDatabaseUnavailable } from "./storage/db";

/**
 * The one error type of the admin and glue layers: an HTTP status plus a
 * stable OAuth2/Hydra error id. Rendered as Hydra's admin API renders its
 * errors (herodot's writer with Hydra's ErrorEnhancer, fosite's non-legacy
 * format): `{error, error_description}` and nothing else; anything else
 * thrown is rendered as a 500 without internals.
 */
export class HydraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }

  /** x.ErrNotFound (x/errors.go): what Hydra answers for a flow, session or key set that does not exist. */
  static notFound(description = "Unable to locate the requested resource"): HydraError {
    return new HydraError(404, "Not Found", description);
  }

  /** sqlcon.ErrNoRows: a client or single key that does not exist (no description). */
  static noRows(): HydraError {
    return new HydraError(404, "Unable to locate the resource", "");
  }

  /** sqlcon.ErrUniqueViolation: a client id or key id that exists already. */
  static uniqueViolation(): HydraError {
    return new HydraError(409, "Unable to insert or update resource because a resource with that value exists already", "");
  }

  /** herodot.ErrBadRequest with a reason, e.g. "Unable to decode the request body: …". */
  static malformed(reason: string): HydraError {
    return new HydraError(400, "The request was malformed or contained invalid parameters", reason);
  }

  static badRequest(description: string, error = "invalid_request"): HydraError {
    return new HydraError(400, error, description);
  }
}

export function errorBody(error: HydraError): { error: string; error_description: string } {
  return { error: error.error, error_description: error.description };
}

/** Retry-After of every 503 the server sends while Postgres is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = "5";

/**
 * herodot's JSONWriter (json.go WriteCode / WriteErrorCode), which Hydra's
 * own handlers answer with: the bytes of json.NewEncoder(buf).Encode(body) —
 * Go's escaping (`<`, `>`, `&`, U+2028, U+2029) and a trailing "\n".
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendPayload(res, status, goJsonEncode(body), headers);
}

/**
 * fosite's writers that json.Marshal and write the bytes (access_error.go
 * writeJsonError, access_write.go WriteAccessResponse, device_write.go
 * WriteDeviceResponse): Go's escaping, no trailing newline.
 */
export function sendMarshaledJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendPayload(res, status, goJsonMarshal(body), headers);
}

/** No Cache-Control of its own: herodot sets none, the answer keeps NoCacheNegroni's (cache-control.ts); fosite's writers pass theirs. */
function sendPayload(res: ServerResponse, status: number, payload: string, headers: Record<string, string>): void {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** herodot's WriteErrorCode (json.go, v0.10.7) sets this Content-Type, without the charset its WriteCode sends. */
const HERODOT_ERROR_TYPE = { "content-type": "application/json" };

export function sendError(res: ServerResponse, error: unknown, onInternal?: (error: unknown) => void): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (error instanceof HydraError) {
    sendJson(res, error.status, errorBody(error), HERODOT_ERROR_TYPE);
    return;
  }
  if (isDatabaseUnavailable(error)) {
    // Postgres is down or restarting: not a bug, and the pool reconnects by itself.
    sendJson(
      res,
      503,
      { error: "temporarily_unavailable", error_description: "The database cannot be reached at the moment; retry shortly" },
      { ...HERODOT_ERROR_TYPE, "retry-after": DATABASE_RETRY_AFTER_SECONDS },
    );
    return;
  }
  onInternal?.(error);
  sendJson(
    res,
    500,
    {
      error: "server_error",
      error_description: "The authorization server encountered an unexpected condition that prevented it from fulfilling the request.",
    },
    HERODOT_ERROR_TYPE,
  );
}
