/**
 * Kratos' outgoing HTTP client for web hooks (driver/registry_default.go
 * HTTPClient): ory/x httpx.NewResilientClient with two retries and a 30 s
 * timeout per attempt, i.e. hashicorp/go-retryablehttp's Client.Do with
 * DefaultRetryPolicy and DefaultBackoff (1 s minimum, 30 s maximum wait).
 */

export interface ResilientOptions {
  /** RetryMax: attempts = retries + 1. */
  retries: number;
  /** http.Client.Timeout: the whole exchange of one attempt, answer body included. */
  attemptTimeoutMs: number;
  retryWaitMinMs: number;
  retryWaitMaxMs: number;
}

export const KRATOS_WEB_HOOK_CLIENT: ResilientOptions = {
  retries: 2,
  attemptTimeoutMs: 30_000,
  retryWaitMinMs: 1_000,
  retryWaitMaxMs: 30_000,
};

/** Client.Do gave up: the last attempt failed in transport or with a status the policy retries. */
export class ResilientClientError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = "ResilientClientError";
  }
}

export interface ResilientRequest {
  method: string;
  headers: Headers;
  body?: string;
}

/**
 * An answer whose status the policy accepts (the caller reads and closes its
 * body within the attempt's timeout), or a ResilientClientError.
 */
export async function resilientFetch(url: string, request: ResilientRequest, options = KRATOS_WEB_HOOK_CLIENT): Promise<Response> {
  let attempt = 0;
  for (;;) {
    attempt++;
    let response: Response | undefined;
    let failure: unknown;
    try {
      // Go's client follows redirects (POST becomes GET on 301/302/303, 307/308 resend the body); so does fetch.
      response = await fetch(url, { ...request, redirect: "follow", signal: AbortSignal.timeout(options.attemptTimeoutMs) });
    } catch (error) {
      failure = error;
    }
    const retry = response ? retriesStatus(response.status) : retriesError(failure);
    if (!retry) {
      if (response) return response;
      throw new ResilientClientError(`${request.method} ${url} giving up after ${attempt} attempt(s): ${describe(failure)}`, attempt);
    }
    const remaining = options.retries - (attempt - 1);
    // The answer is consumed before retrying (drainBody) or discarded when giving up.
    await response?.body?.cancel().catch(() => undefined);
    if (remaining <= 0) {
      const why = response ? `unexpected HTTP status ${response.status}` : describe(failure);
      throw new ResilientClientError(`${request.method} ${url} giving up after ${attempt} attempt(s): ${why}`, attempt);
    }
    // setTimeout fires at once past 2^31-1 ms; Go would wait that long (or until the login request ends).
    await sleep(Math.min(backoffMs(options, attempt - 1, response), 0x7fffffff));
  }
}

/** baseRetryPolicy for answers: 429, and 5xx except 501 (and 0, which fetch cannot give). */
export function retriesStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

/** TLS verification failures as Node's TLS layer names them (Go: x509 errors, "certificate is not trusted"). */
const CERTIFICATE_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID/;

/**
 * baseRetryPolicy for transport errors: every one is retried (refused
 * connections, resets, timeouts) except too many redirects, an unsupported
 * scheme or invalid URL, an invalid header, and certificate errors.
 */
export function retriesError(error: unknown): boolean {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && "code" in cause && typeof cause.code === "string" ? cause.code : "";
  const text = `${error instanceof Error ? error.message : String(error)} ${cause?.message ?? ""}`;
  if (/redirect count exceeded|unknown scheme|not supported|invalid url|invalid header|header.*invalid/i.test(text)) return false;
  if (error instanceof TypeError && !cause) return false;
  return !CERTIFICATE_ERRORS.test(code);
}

/**
 * DefaultBackoff: 2^attempt × minimum, at most the maximum; a 429 or 503
 * answer's Retry-After (seconds, or an HTTP date) wins, however long.
 */
export function backoffMs(options: ResilientOptions, attemptIndex: number, response: Response | undefined): number {
  if (response && (response.status === 429 || response.status === 503)) {
    const after = retryAfterMs(response.headers.get("retry-after"));
    if (after !== undefined) return after;
  }
  const wait = 2 ** attemptIndex * options.retryWaitMinMs;
  return Math.min(wait, options.retryWaitMaxMs);
}

/** parseRetryAfterHeader: a non-negative integer of seconds, or an RFC 1123 date (past dates wait 0). */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^[+-]?\d+$/.test(value)) {
    const seconds = Number(value);
    return seconds < 0 ? undefined : seconds * 1000;
  }
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [A-Z]{3}$/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
