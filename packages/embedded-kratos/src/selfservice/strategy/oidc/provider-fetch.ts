import { AsyncLocalStorage } from "node:async_hooks";
import type { PrivateIpPolicy } from "@olympus/server-kit/http";
import type * as oidc from "openid-client";
import { goFollowRedirects } from "./go-redirect";
import { probeTokenRequest, tokenExchangeClient } from "./go-token-request";
import { sendGuarded } from "./provider-address-guard";

/**
 * The fetch every provider call runs on (openid-client's customFetch), doing
 * what Go's http.Client does around a request that openid-client leaves to
 * the caller:
 *
 * - the answer's body is read to its end before openid-client sees it, so a
 *   body that stalls past the timeout fails here, named as the read of that
 *   request's body (Go's io.ReadAll of resp.Body in go-oidc, under the same
 *   Client.Timeout as the request) — the token answer up to its first MiB
 *   only, as x/oauth2's doTokenRoundTrip reads it (io.LimitReader);
 * - every failure is tagged with the request it belongs to, so the code
 *   exchange can tell its token request from the JWKS fetch of the ID
 *   token's verification, which Go words differently;
 * - connections opened for it get Go's host name check (`go-x509-errors.ts`
 *   reads `goNameCheckRequired`), which Node's own check is laxer than;
 * - redirects are followed as Go's client follows them (`go-redirect.ts`:
 *   at most 10, methods and headers as Go carries them), where
 *   openid-client asks for none (`redirect: manual`) and Node's fetch would
 *   follow 20;
 * - every hop connects only where Kratos' ssrf guard lets it
 *   (`provider-address-guard.ts`: `clients.http.disallow_private_ip_ranges`
 *   and its exception URLs, checked against the address connected to).
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

const fetches = new WeakMap<PrivateIpPolicy, oidc.CustomFetch>();

/** The fetch of the provider calls under the config's outbound policy (one per policy object). */
export function providerFetchFor(policy: PrivateIpPolicy): oidc.CustomFetch {
  let found = fetches.get(policy);
  if (!found) {
    found = (url, options) =>
      nameChecks.run(true, () => {
        // The code exchange's token request is x/oauth2's: sent up to twice, judged as Go judges it (go-token-request.ts).
        const exchange = tokenExchangeClient();
        if (exchange && options.method === "POST" && options.body instanceof URLSearchParams)
          return probeTokenRequest(url, options.body, exchange, (hop, init, limit) => boundedRoundTrip(hop, init, limit, policy));
        // A Uint8Array over a shared buffer is no BodyInit in the DOM typings Next's apps compile this with: copy it.
        const body = options.body instanceof Uint8Array ? new Uint8Array(options.body) : options.body;
        return roundTrip(url, { ...options, body }, policy);
      });
    fetches.set(policy, found);
  }
  return found;
}

/**
 * A GET of ours (go-oidc's discovery) on the same footing, its answer's body
 * read up to `limit` bytes (io.LimitReader) and the rest left unread. The
 * bytes are a buffer of their own (nothing else of the answer is kept).
 */
export const providerGet = (
  url: string,
  timeoutSeconds: number,
  limit: number,
  policy: PrivateIpPolicy,
): Promise<{ response: Response; body: Uint8Array }> =>
  nameChecks.run(true, () => boundedRoundTrip(url, { method: "GET", signal: AbortSignal.timeout(timeoutSeconds * 1000) }, limit, policy));

/** One request, at most `limit` bytes of its answer's body read (the rest never asked for); failures tagged with the request. */
async function boundedRoundTrip(
  url: string,
  init: RequestInit,
  limit: number,
  policy: PrivateIpPolicy,
): Promise<{ response: Response; body: Uint8Array }> {
  const { response, request } = await send(url, init, policy);
  try {
    return { response, body: await readAtMost(response, limit) };
  } catch (cause) {
    throw tagged(new ProviderBodyReadError(cause), request);
  }
}

/** io.ReadAll(io.LimitReader(body, limit)): the first `limit` bytes, the body closed after them. */
async function readAtMost(response: Response, limit: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < limit) {
    const next = await reader.read();
    if (next.done) break;
    const value: unknown = next.value;
    if (!(value instanceof Uint8Array)) continue;
    const chunk = value.subarray(0, limit - length);
    chunks.push(chunk);
    length += chunk.length;
  }
  if (length >= limit) await reader.cancel().catch(() => undefined);
  const body = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return body;
}

/**
 * Client.Do: the request and its redirects; failures tagged with the
 * request (its first method, as url.Error's Op, and the URL of the hop that
 * failed).
 */
async function send(url: string, init: RequestInit, policy: PrivateIpPolicy): Promise<{ response: Response; request: ProviderRequest }> {
  const request: ProviderRequest = { method: init.method === "POST" ? "Post" : "Get", url };
  try {
    const response = await goFollowRedirects(
      url,
      init,
      (hop, hopInit) => sendGuarded(hop, policy, () => fetch(hop, hopInit)),
      (hop) => (request.url = hop),
    );
    return { response, request };
  } catch (error) {
    throw tagged(error, request);
  }
}

/** One request, its answer's body read to the end; failures tagged with the request. */
async function roundTrip(url: string, init: RequestInit, policy: PrivateIpPolicy): Promise<Response> {
  const { response, request } = await send(url, init, policy);
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
