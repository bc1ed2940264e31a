import { AsyncLocalStorage } from "node:async_hooks";
import type * as oidc from "openid-client";
import { probeTokenRequest, tokenExchangeClient } from "./go-token-request";

/**
 * The fetch every provider call runs on (openid-client's customFetch), doing
 * what Go's http.Client does around a request that openid-client leaves to
 * the caller:
 *
 * - the answer's body is read to its end before openid-client sees it, so a
 *   body that stalls past the timeout fails here, named as the read of that
 *   request's body (Go's io.ReadAll of resp.Body in go-oidc and x/oauth2,
 *   under the same Client.Timeout as the request);
 * - every failure is tagged with the request it belongs to, so the code
 *   exchange can tell its token request from the JWKS fetch of the ID
 *   token's verification, which Go words differently;
 * - connections opened for it get Go's host name check (`go-x509-errors.ts`
 *   reads `goNameCheckRequired`), which Node's own check is laxer than.
 */

/** A provider request as Go's url.Error names it. */
export interface ProviderRequest {
  method: "Get" | "Post";
  url: string;
}

/** The answer's headers came, its body did not (`cause` is what the body's read rejected with). */
export class ProviderBodyReadError extends Error {
  constructor(cause: unknown) {
    super("reading the provider's answer failed", { cause });
    this.name = "ProviderBodyReadError";
  }
}

const failedRequests = new WeakMap<object, ProviderRequest>();
const nameChecks = new AsyncLocalStorage<true>();

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function tagged<T>(error: T, request: ProviderRequest): T {
  if (isRecord(error)) failedRequests.set(error, request);
  return error;
}

export const providerFetch: oidc.CustomFetch = (url, options) =>
  nameChecks.run(true, () => {
    // The code exchange's token request is x/oauth2's: sent up to twice, judged as Go judges it (go-token-request.ts).
    const exchange = tokenExchangeClient();
    if (exchange && options.method === "POST" && options.body instanceof URLSearchParams)
      return probeTokenRequest(url, options.body, exchange, roundTrip);
    // A Uint8Array over a shared buffer is no BodyInit in the DOM typings Next's apps compile this with: copy it.
    const body = options.body instanceof Uint8Array ? new Uint8Array(options.body) : options.body;
    return roundTrip(url, { ...options, body });
  });

/**
 * A GET of ours (go-oidc's discovery) on the same footing: Go's http.Client
 * follows redirects, which openid-client's requests (`redirect: manual`) do not.
 */
export const providerGet = (url: string, timeoutSeconds: number): Promise<Response> =>
  nameChecks.run(true, () => roundTrip(url, { method: "GET", redirect: "follow", signal: AbortSignal.timeout(timeoutSeconds * 1000) }));

/** One request, its answer's body read to the end; failures tagged with the request. */
async function roundTrip(url: string, init: RequestInit): Promise<Response> {
  const request: ProviderRequest = { method: init.method === "POST" ? "Post" : "Get", url };
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw tagged(error, request);
  }
  try {
    // The copy is read to its end; the original keeps the whole body for openid-client.
    await response.clone().arrayBuffer();
  } catch (cause) {
    throw tagged(new ProviderBodyReadError(cause), request);
  }
  return response;
}

/** Whether the socket being opened now belongs to a provider call. */
export const goNameCheckRequired = (): boolean => nameChecks.getStore() === true;

/** The request a failure of providerFetch belongs to, found along the error's causes (openid-client wraps them). */
export function failedRequestOf(error: unknown): ProviderRequest | undefined {
  for (let current: unknown = error, depth = 0; isRecord(current) && depth < 8; current = current.cause, depth++) {
    const request = failedRequests.get(current);
    if (request) return request;
  }
  return undefined;
}

/** The body-read failure along the error's causes, if the request failed while its answer's body was read. */
export function bodyReadErrorOf(error: unknown): ProviderBodyReadError | undefined {
  for (let current: unknown = error, depth = 0; isRecord(current) && depth < 8; current = current.cause, depth++) {
    if (current instanceof ProviderBodyReadError) return current;
  }
  return undefined;
}
