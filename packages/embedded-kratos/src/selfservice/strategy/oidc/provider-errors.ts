import * as oidc from "openid-client";
import { KratosError } from "../../../http/errors";
import { goBodyReadText, goNetworkText } from "./go-net-errors";
import { statusLine, statusText } from "./go-status";
import { GoDiscoveryError } from "./discovery";
import { GoTokenError } from "./go-token-request";
import { failedRequestOf } from "./provider-fetch";
import { goQuote } from "@olympus/server-kit/go-strconv";

/**
 * How Kratos reports a provider that fails behind the callback, in the words
 * of the Go libraries it runs on (the messages are what its error page and
 * JSON clients see):
 *
 * - discovery (provider_generic_oidc.go provider): herodot's
 *   ErrMisconfiguration — 500 `invalid_configuration`, "Invalid
 *   configuration" — with the reason `Unable to initialize OpenID Connect
 *   Provider: <go-oidc NewProvider error>` (the texts for answers it read
 *   come from discovery.ts);
 * - the code exchange (strategy.go exchangeCode): x/oauth2's error passed on
 *   unwrapped, so herodot's ToDefaultError makes it a 500 whose message is
 *   the error text (for answers it read, go-token-request.ts words it:
 *   `oauth2: "invalid_grant" "…"`, `oauth2: cannot fetch token: <status>
 *   \nResponse: <body>`, …);
 * - userinfo (claimsFromUserInfo): go-oidc's error passed on, 500 with
 *   `<status>: <body>`;
 * - an ID token that does not verify (verifiedIDToken): 400 with go-oidc's
 *   text as the reason — also when its keys cannot be fetched (jwks.go
 *   RemoteKeySet.verify and updateKeys: `failed to verify signature:
 *   fetching keys oidc: get keys failed <url.Error>`, or `… fetching keys
 *   unable to read response body: <error>`).
 *
 * An answer whose body cannot be read is reported by each caller of Go's
 * io.ReadAll in its own words: go-oidc's NewProvider and updateKeys
 * `unable to read response body: <error>`, x/oauth2's doTokenRoundTrip
 * `oauth2: cannot fetch token: <error>`, go-oidc's UserInfo the error alone.
 *
 * Provider answers appear only where Kratos shows them (the two bodies
 * above); nothing of openid-client's own wording reaches a client.
 */

export function discoveryError(issuerUrl: string, error: unknown): KratosError {
  const wellKnown = `${issuerUrl.replace(/\/$/, "")}/.well-known/openid-configuration`;
  return new KratosError(500, {
    id: "invalid_configuration",
    message: "Invalid configuration",
    reason: `Unable to initialize OpenID Connect Provider: ${goOidcDiscoveryText(wellKnown, error)}`,
  });
}

function goOidcDiscoveryText(wellKnown: string, error: unknown): string {
  const network = goNetworkText("Get", wellKnown, error);
  if (network) return network;
  const body = goBodyReadText(error);
  if (body) return `unable to read response body: ${body}`;
  if (error instanceof GoDiscoveryError) return error.message;
  return "oidc: failed to decode provider discovery object";
}

export function tokenExchangeError(tokenEndpoint: string, error: unknown): KratosError {
  const request = failedRequestOf(error);
  // openid-client fetches the JWKS within the code exchange, where Kratos' verifiedIDToken does it after.
  if (request && request.method === "Get") return keysFetchError(request.url, error);
  const network = goNetworkText("Post", tokenEndpoint, error);
  if (network) return new KratosError(500, { message: network });
  const body = goBodyReadText(error);
  if (body) return new KratosError(500, { message: `oauth2: cannot fetch token: ${body}` });
  const refused = causeOf(error, GoTokenError);
  if (refused) return new KratosError(500, { message: refused.message });
  // An answer x/oauth2 took reaches openid-client as a plain token (go-token-request.ts): what fails now is the ID token.
  if (error instanceof oidc.ClientError) {
    if (error.code === "OAUTH_INVALID_RESPONSE" && mentions(error, "id_token")) return idTokenMissing();
    return idTokenError(error);
  }
  return idTokenError(error);
}

export async function userInfoError(userInfoEndpoint: string, error: unknown): Promise<KratosError> {
  const network = goNetworkText("Get", userInfoEndpoint, error);
  if (network) return new KratosError(500, { message: network });
  const body = goBodyReadText(error);
  if (body) return new KratosError(500, { message: body });
  const response = error instanceof oidc.ClientError ? responseOf(error) : undefined;
  if (response) return new KratosError(500, { message: `${statusLine(response)}: ${await bodyOf(response)}` });
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.WWWAuthenticateChallengeError) {
    return new KratosError(500, { message: `${error.status} ${statusText(error.status)}` });
  }
  return new KratosError(500, { message: "oidc: failed to decode userinfo" });
}

/** A failed JWKS fetch: verifiedIDToken's 400 with RemoteKeySet's words (the transport failures, the unread body). */
function keysFetchError(jwksUrl: string, error: unknown): KratosError {
  const network = goNetworkText("Get", jwksUrl, error);
  const body = goBodyReadText(error);
  if (network) return new KratosError(400, { reason: `failed to verify signature: fetching keys oidc: get keys failed ${network}` });
  if (body) return new KratosError(400, { reason: `failed to verify signature: fetching keys unable to read response body: ${body}` });
  return idTokenError(error);
}

/**
 * verifiedIDToken: 400 with go-oidc v3's words (oidc/verify.go
 * IDTokenVerifier.Verify, TokenExpiredError) and the values it appends —
 * times as Go's time.Time prints them in UTC (Kratos' containers run in UTC),
 * lists as Go's %q prints a []string.
 */
function idTokenError(error: unknown): KratosError {
  const cause = checkDetails(error);
  const claim = isRecord(cause) && typeof cause.claim === "string" ? cause.claim : "";
  const claims = isRecord(cause) && isRecord(cause.claims) ? cause.claims : {};
  const expected = isRecord(cause) && typeof cause.expected === "string" ? cause.expected : "";
  let reason = "oidc: malformed jwt";
  if (error instanceof oidc.ClientError) {
    if (error.code === "OAUTH_JWT_TIMESTAMP_CHECK_FAILED" && claim === "nbf")
      reason = `oidc: current time ${goTime(new Date(), true)} before the nbf (not before) time: ${goTime(unixDate(claims.nbf))}`;
    else if (error.code === "OAUTH_JWT_TIMESTAMP_CHECK_FAILED" && claim === "exp")
      reason = `oidc: token is expired (Token Expiry: ${goTime(unixDate(claims.exp))})`;
    else if (error.code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED" && claim === "iss")
      reason = `oidc: id token issued by a different provider, expected ${goQuote(expected)} got ${goQuote(typeof claims.iss === "string" ? claims.iss : "")}`;
    else if (error.code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED" && claim === "aud")
      reason = `oidc: expected audience ${goQuote(expected)} got ${goQuoteList(audienceOf(claims.aud))}`;
    else if (error.code === "OAUTH_KEY_SELECTION_FAILED") reason = "failed to verify signature: failed to verify id token signature";
  }
  if (isSignatureFailure(error)) reason = "failed to verify signature: failed to verify id token signature";
  return new KratosError(400, { reason });
}

/**
 * The details oauth4webapi attaches to a failed check ({claim, claims,
 * expected} or {attribute, body, expected}): the cause of the cause of
 * openid-client's ClientError.
 */
function checkDetails(error: unknown): Record<string, unknown> | undefined {
  let cause: unknown = error instanceof Error ? error.cause : undefined;
  while (cause instanceof Error) cause = cause.cause;
  return isRecord(cause) ? cause : undefined;
}

/** oauth4webapi's validateJwsSignature failure (an OAUTH_INVALID_RESPONSE naming the signature). */
function isSignatureFailure(error: unknown): boolean {
  return (
    error instanceof oidc.ClientError &&
    error.code === "OAUTH_INVALID_RESPONSE" &&
    error.cause instanceof Error &&
    error.cause.message === "JWT signature verification failed"
  );
}

/** go-oidc's jsonTime: whole seconds (a fraction is dropped). */
function unixDate(value: unknown): Date {
  return new Date(Math.trunc(typeof value === "number" ? value : 0) * 1000);
}

/** time.Time.String in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`, plus the monotonic reading Go keeps on time.Now values. */
export function goTime(date: Date, monotonic = false): string {
  const iso = date.toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, "");
  let text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ""} +0000 UTC`;
  if (monotonic) text += ` m=+${process.uptime().toFixed(9)}`;
  return text;
}

/** go-oidc's audience: a string or a list of strings. */
function audienceOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Go's %q of a []string: `["a" "b"]`. */
const goQuoteList = (values: readonly string[]) => `[${values.map(goQuote).join(" ")}]`;

// openid-client names the offending property in the wrapped error's message.
const mentions = (error: oidc.ClientError, property: string) =>
  error.cause instanceof Error && error.cause.message.includes(`"${property}"`);

/** error.go ErrIDTokenMissing. */
export function idTokenMissing(): KratosError {
  return new KratosError(400, {
    message: "authentication failed because id_token is missing",
    reason: `Authentication failed because no id_token was returned. Please accept the "openid" permission and try again.`,
  });
}

function responseOf(error: oidc.ClientError): Response | undefined {
  const cause: unknown = error.cause;
  return cause instanceof Response ? cause : undefined;
}

async function bodyOf(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return "";
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The first error of this class along the causes (openid-client wraps what its fetch throws). */
function causeOf<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    if (current instanceof type) return current;
  }
  return undefined;
}
