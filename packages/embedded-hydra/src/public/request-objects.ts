import { createPublicKey, verify } from "node:crypto";
import { ClientKeyError, clientKey, familyOf, jwksFetcherOf } from "../clients/client-keys";
import type { StoredClientData } from "../clients/model";
import { fetchText } from "../clients/outbound-http";
import { privateIpPolicyOf } from "../clients/private-ip-policy";
import type { Deps } from "../deps";
import { fositeDescription, type FositeErrorName } from "../fosite-errors";
import { goSprintS } from "./go-format";
import type { OAuthError } from "./responses";

/**
 * OpenID Connect request objects (`request`, `request_uri`) as fosite reads
 * them before anything else of an authorization request
 * (fosite/authorize_request_handler.go
 * authorizeRequestParametersFromOpenIDConnectRequest): only with the
 * `openid` scope in the query; signed with the client's
 * `request_object_signing_alg` (any RS*, PS*, ES* when unset, and `none`
 * unless the client names another algorithm) by a key of its `jwks` or
 * `jwks_uri`; a `request_uri` must be one of its `request_uris`. Every
 * claim of the object then replaces the query parameter of that name
 * (formatted as Go's `%s` does) and the query's scopes are added to the
 * object's. Refusals go to the error UI: fosite has not validated the
 * redirect URI yet.
 */

export type RequestObjectOutcome =
  /** No request object to apply (fosite ignores `request`/`request_uri` without `openid`). */
  | { kind: "none" }
  /** fosite's form after applying the object (it still holds `request`/`request_uri`). */
  | { kind: "applied"; form: URLSearchParams }
  | { kind: "refused"; error: OAuthError };

class RequestObjectError extends Error {
  constructor(
    readonly errorName: FositeErrorName,
    readonly hint: string | null,
  ) {
    super(errorName);
  }
}

const refuse = (name: FositeErrorName, hint: string | null) => new RequestObjectError(name, hint);

function split(value: string | null): string[] {
  return (value ?? "").split(" ").filter(Boolean);
}

/** fosite's limit on a fetched request object (io.LimitReader, 10 MiB). */
const REQUEST_OBJECT_LIMIT = 10 * 1024 * 1024;

interface Jws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

/** go-jose ParseSigned + UnsafeClaimsWithoutVerification; undefined when either fails. */
function parseCompact(token: string): Jws | undefined {
  const parts = token.trim().split(".");
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]*$/.test(part))) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  try {
    const header: unknown = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8"));
    const claims: unknown = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8"));
    const isObject = (value: unknown): value is Record<string, unknown> =>
      typeof value === "object" && value !== null && !Array.isArray(value);
    if (!isObject(header) || typeof header.alg !== "string" || !isObject(claims)) return undefined;
    return { header, claims, signingInput: `${headerPart}.${payloadPart}`, signature: Buffer.from(signaturePart, "base64url") };
  } catch {
    return undefined;
  }
}

function verifies(jws: Jws, jwk: Record<string, unknown>): boolean {
  const alg = String(jws.header.alg);
  const bits = alg.slice(2);
  try {
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = jwk;
    const key = createPublicKey({ key: publicPart, format: "jwk" });
    const options = alg.startsWith("PS")
      ? { key, padding: 6, saltLength: Number(bits) / 8 }
      : alg.startsWith("ES")
        ? { key, dsaEncoding: "ieee-p1363" as const }
        : { key };
    return verify(`sha${bits}`, Buffer.from(jws.signingInput), options, jws.signature);
  } catch {
    return false;
  }
}

/** MapClaims.Valid (exp, iat, nbf, none required): true when the object is within its times. */
function withinTimes(claims: Record<string, unknown>): boolean {
  const now = Math.floor(Date.now() / 1000);
  const number = (name: string) => (typeof claims[name] === "number" ? claims[name] : undefined);
  const exp = number("exp");
  const iat = number("iat");
  const nbf = number("nbf");
  return !(exp !== undefined && now > exp) && !(iat !== undefined && now < iat) && !(nbf !== undefined && now < nbf);
}

async function verifiedClaims(deps: Deps, client: StoredClientData, assertion: string): Promise<Record<string, unknown>> {
  const signatureFailure = refuse("invalid_request_object", "Unable to verify the request object's signature.");
  const jws = parseCompact(assertion);
  if (!jws) throw signatureFailure;
  const alg = String(jws.header.alg);
  const enforced = client.request_object_signing_alg;
  if (enforced !== "" && enforced !== alg) {
    throw refuse(
      "invalid_request_object",
      `The request object uses signing algorithm '${alg}', but the requested OAuth 2.0 Client enforces signing algorithm '${enforced}'.`,
    );
  }
  if (alg !== "none") {
    const family = familyOf(alg);
    if (!family) throw refuse("invalid_request_object", `This request object uses unsupported signing algorithm '${alg}'.`);
    const kid = typeof jws.header.kid === "string" && jws.header.kid !== "" ? jws.header.kid : undefined;
    let key: Record<string, unknown>;
    try {
      key = await clientKey(client, kid, family, jwksFetcherOf(deps, privateIpPolicyOf(deps.config)));
    } catch (error) {
      // wrapSigningKeyFailure: the outer hint, then the inner error's.
      if (!(error instanceof ClientKeyError)) throw error;
      const outer = `Unable to retrieve ${family} signing key from OAuth 2.0 Client.`;
      throw refuse("invalid_request_object", error.hint ? `${outer} ${error.hint}` : outer);
    }
    if (!verifies(jws, key)) throw signatureFailure;
  }
  // fosite returns MapClaims.Valid's bare error (not an OAuth2 one), which Hydra answers as server_error.
  if (!withinTimes(jws.claims)) throw refuse("server_error", null);
  return jws.claims;
}

async function applyRequestObject(deps: Deps, query: URLSearchParams): Promise<RequestObjectOutcome> {
  const scope = split(query.get("scope"));
  const request = query.get("request") ?? "";
  const requestUri = query.get("request_uri") ?? "";
  if (!scope.includes("openid") || request + requestUri === "") return { kind: "none" };
  if (request !== "" && requestUri !== "") {
    throw refuse("invalid_request", "OpenID Connect parameters 'request' and 'request_uri' were both given, but you can use at most one.");
  }
  const client = (await deps.clients.get(query.get("client_id") ?? ""))?.data;
  // An unknown client is refused by the authorization endpoint itself, as fosite does before this step.
  if (!client) return { kind: "none" };
  if (client.jwks === null && client.jwks_uri === "") {
    throw refuse(
      "invalid_request",
      "OpenID Connect 'request' or 'request_uri' context was given, but the OAuth 2.0 Client does not have any JSON Web Keys registered.",
    );
  }
  let assertion = request;
  if (requestUri !== "") {
    if (!client.request_uris.includes(requestUri))
      throw refuse("invalid_request_uri", `Request URI '${requestUri}' is not whitelisted by the OAuth 2.0 Client.`);
    let fetched: { status: number; body: string };
    try {
      fetched = await fetchText(requestUri, {
        ...privateIpPolicyOf(deps.config),
        limit: REQUEST_OBJECT_LIMIT,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw refuse("invalid_request_uri", `Unable to fetch OpenID Connect request parameters from 'request_uri' because: ${reason}.`);
    }
    if (fetched.status !== 200) {
      throw refuse(
        "invalid_request_uri",
        `Unable to fetch OpenID Connect request parameters from 'request_uri' because status code '200' was expected, but got '${fetched.status}'.`,
      );
    }
    assertion = fetched.body;
  }
  const claims = await verifiedClaims(deps, client, assertion);
  const form = new URLSearchParams(query);
  for (const [name, value] of Object.entries(claims)) form.set(name, goSprintS(value));
  const merged = split(form.get("scope"));
  for (const item of scope) if (!merged.includes(item)) merged.push(item);
  form.set("scope", merged.join(" "));
  return { kind: "applied", form };
}

/** Applies the request object of an authorization query, or says why fosite refuses it. */
export async function resolveRequestObject(deps: Deps, query: URLSearchParams): Promise<RequestObjectOutcome> {
  try {
    return await applyRequestObject(deps, query);
  } catch (error) {
    if (!(error instanceof RequestObjectError)) throw error;
    return { kind: "refused", error: { error: error.errorName, error_description: fositeDescription(error.errorName, error.hint) } };
  }
}

/**
 * The query oidc-provider gets for fosite's form: without `request` and
 * `request_uri` (applied, or ignored by fosite), for the client the query
 * named (fosite keeps the client it looked up before reading the object).
 * A parameter given more than once (Go's `r.Form` keeps every value) is
 * what fosite reads: the first value (`Form.Get`), and for `audience` every
 * non-empty value (audience_strategy.go GetAudiences), joined with spaces —
 * oidc-provider refuses a parameter given twice.
 */
export function providerQuery(form: URLSearchParams, clientId: string | null): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key);
    const read = key === "audience" && values.length > 1 ? values.filter((value) => value !== "").join(" ") : values[0];
    if (read !== undefined) query.set(key, read);
  }
  query.delete("request");
  query.delete("request_uri");
  if (clientId !== null) query.set("client_id", clientId);
  return query;
}
