import { backoffMs, retriesStatus, sleep as defaultSleep } from "./backoff";
import { goClientDo, GoUrlError, redactUrl, type OutboundRequest, type OutboundResponse } from "./go-client";
import type { PrivateIpPolicy } from "./private-ip-policy";

/**
 * ory/x httpx.NewResilientClient (resilient_client.go), the client Kratos
 * (driver/registry_default.go) and Hydra (driver/registry_sql.go) build in
 * HTTPClient: hashicorp/go-retryablehttp v0.7.8 Client.Do with
 * DefaultRetryPolicy and DefaultBackoff over a net/http client with a
 * timeout per attempt and the ssrf-guarded transport (./go-client.ts).
 */
export interface ResilientOptions extends PrivateIpPolicy {
  /** RetryMax: attempts = retries + 1. */
  retries: number;
  /** http.Client.Timeout: the whole exchange of one attempt, answer body included. */
  attemptTimeoutMs: number;
  retryWaitMinMs: number;
  retryWaitMaxMs: number;
  /** The request's context: its end stops the attempt in flight and the wait between attempts. */
  signal?: AbortSignal;
  /** Test hook: how a wait between attempts is spent. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Client.RequestLogHook: called before each attempt (retryNumber counts from 0); may set the request's headers. */
  requestLogHook?: (request: OutboundRequest, retryNumber: number) => void;
}

/**
 * What both servers' HTTPClient pass: ResilientClientWithMaxRetry(2),
 * ResilientClientWithConnectionTimeout(30s), NewResilientClient's 1 s/30 s
 * waits; private ranges allowed unless `clients.http` says otherwise.
 */
export const ORY_HTTP_CLIENT: ResilientOptions = {
  retries: 2,
  attemptTimeoutMs: 30_000,
  retryWaitMinMs: 1_000,
  retryWaitMaxMs: 30_000,
  disallowPrivateIpRanges: false,
};

/** Client.Do gave up: its error text, and how many attempts it made. */
export class ResilientClientError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = "ResilientClientError";
  }
}

/** The request's context ended (Go: context.Canceled). */
const canceled = (signal: AbortSignal | undefined) => signal?.aborted === true;

/**
 * An answer whose status the policy accepts (the caller reads or cancels
 * its body), or a ResilientClientError with Client.Do's text.
 */
export async function resilientFetch(url: string, request: OutboundRequest, options: ResilientOptions): Promise<OutboundResponse> {
  const { signal } = options;
  const sleep = options.sleep ?? defaultSleep;
  const giveUp = (attempt: number, why?: string) =>
    new ResilientClientError(`${request.method} ${redactUrl(url)} giving up after ${attempt} attempt(s)${why ? `: ${why}` : ""}`, attempt);
  for (let index = 0; ; index++) {
    const attempt = index + 1;
    const deadline = AbortSignal.timeout(options.attemptTimeoutMs);
    let response: OutboundResponse | undefined;
    let failure: GoUrlError | undefined;
    options.requestLogHook?.(request, index);
    try {
      response = await goClientDo(url, request, options, signal ? AbortSignal.any([signal, deadline]) : deadline);
    } catch (error) {
      if (!(error instanceof GoUrlError)) throw error;
      failure = error;
    }
    // DefaultRetryPolicy: once the context is done nothing is retried, and that is the error.
    if (canceled(signal)) {
      await response?.body.cancel().catch(() => undefined);
      throw giveUp(attempt, "context canceled");
    }
    const retry = response ? retriesStatus(response.status) : (failure?.retried ?? false);
    if (!retry) {
      if (response) return response;
      throw giveUp(attempt, failure?.message);
    }
    // The answer is drained before a retry, discarded when giving up.
    await response?.body.cancel().catch(() => undefined);
    // DefaultRetryPolicy does not pass the status on, so giving up after answers names no reason.
    if (options.retries - index <= 0) throw giveUp(attempt, failure?.message);
    const wait = backoffMs(options, index, response?.status, response?.headerLines["retry-after"]?.[0]);
    try {
      await sleep(wait, signal);
    } catch {
      // Client.Do returns the context's error as it is.
      throw new ResilientClientError("context canceled", attempt);
    }
    if (canceled(signal)) throw new ResilientClientError("context canceled", attempt);
  }
}

/**
 * An AbortSignal for the context of a request this server answers: Go's
 * server cancels it when the client's connection closes before the answer
 * is written. `dispose` stops watching once the answer no longer waits on it.
 */
export function abandonmentSignal(socket: {
  destroyed: boolean;
  once(event: "close", listener: () => void): unknown;
  off(event: "close", listener: () => void): unknown;
}): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const abort = () => controller.abort(new Error("context canceled"));
  if (socket.destroyed) abort();
  else socket.once("close", abort);
  return { signal: controller.signal, dispose: () => void socket.off("close", abort) };
}
