import {
  goUrlHostname,
  goUrlParse,
  goUrlParseRequestUri,
  goUrlPort,
  goUrlStringBytes,
  utf8Text,
  type GoUrl,
} from "@olympus/server-kit/go-url";
import { decodeGoJson } from "../admin/go-json";
import { associatedIpsRefusal } from "./associated-ips";
import { CLIENT, LIFESPANS } from "./client-struct";
import { HydraError } from "../errors";
import { LIFESPAN_FIELDS } from "./lifespans";
import { normalizeClientData, type StoredClientData } from "./model";

/**
 * Hydra's client validation (client/validator.go Validate and
 * ValidateDynamicRegistration) and its errors: `invalid_client_metadata`
 * and `invalid_redirect_uri` (client/error.go) with the validator's hints.
 * A body Go cannot decode into the Client struct is herodot's bad request
 * "Unable to decode the request body: …" (client/handler.go).
 *
 * Every URL is read by Go's net/url (@olympus/server-kit/go-url) as the
 * validator reads it: url.ParseRequestURI for redirect_uris,
 * post_logout_redirect_uris and tos/policy/logo/client_uri, url.Parse for
 * allowed_cors_origins, sector_identifier_uri and (ory/x ipx,
 * associated-ips.ts) the hosts of jwks_uri, backchannel_logout_uri and
 * request_uris. Hints that print Go's
 * error print url.Error's text (`parse "…": …`).
 */

const INVALID_CLIENT_METADATA =
  "The value of one of the Client Metadata fields is invalid and the server has rejected this request. Note that an Authorization Server MAY choose to substitute a valid value for any requested parameter of a Client's Metadata.";
const INVALID_REDIRECT_URI = "The value of one or more redirect_uris is invalid.";

function describe(base: string, hint: string | undefined): string {
  return (hint ? `${base} ${hint}` : base).replaceAll('"', "'");
}

export function invalidClientMetadata(hint?: string): HydraError {
  return new HydraError(400, "invalid_client_metadata", describe(INVALID_CLIENT_METADATA, hint));
}

function invalidRedirectUri(hint: string): HydraError {
  return new HydraError(400, "invalid_redirect_uri", describe(INVALID_REDIRECT_URI, hint));
}

const SIGNING_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

export interface DecodedClient {
  id: string;
  /** A secret the caller chose (plaintext), or "" */
  secret: string;
  /** Whether the body carried `metadata` (dynamic registration refuses it). */
  hasMetadata: boolean;
  data: StoredClientData;
  /** The body's `created_at` (Go's time text as written), when it had one: Hydra's PUT and PATCH answer with it. */
  createdAt?: string;
  /**
   * The body's `registration_access_token` and `registration_client_uri`
   * (`db:"-"`: never stored), which an update's answer echoes.
   */
  registrationAccessToken?: string;
  registrationClientUri?: string;
}

/** The lifespans x.NullDuration decoded (Go duration strings), from a decoded Client or Lifespans. */
function lifespansOf(raw: Record<string, unknown>): Partial<Record<string, string>> {
  const lifespans: Partial<Record<string, string>> = {};
  for (const field of LIFESPAN_FIELDS) {
    const value = raw[field];
    if (typeof value === "string") lifespans[field] = value;
  }
  return lifespans;
}

/**
 * Decodes a client body as Hydra's handler does (json.NewDecoder(r.Body).Decode(&c));
 * `undecodable` is the handler's error for Go's message (client/handler.go
 * CreateClient and setOAuth2Client: herodot's bad request "Unable to decode
 * the request body: …").
 */
/** client/handler.go CreateClient, setOAuth2Client, setOAuth2ClientLifespans: herodot's bad request with Go's decode error. */
export const undecodableClientBody = (message: string): HydraError => HydraError.malformed(`Unable to decode the request body: ${message}`);

export function decodeClient(
  text: string | Uint8Array,
  undecodable: (message: string) => HydraError = undecodableClientBody,
): DecodedClient {
  const decoded = decodeGoJson(text, CLIENT);
  if (!decoded.ok) throw undecodable(decoded.message);
  const raw = decoded.value;
  const lifespans = lifespansOf(raw);
  const data = normalizeClientData({ ...raw, ...Object.fromEntries(LIFESPAN_FIELDS.map((field) => [field, lifespans[field]])) });
  return {
    id: typeof raw.client_id === "string" ? raw.client_id : "",
    secret: typeof raw.client_secret === "string" ? raw.client_secret : "",
    hasMetadata: raw.metadata !== undefined && raw.metadata !== null,
    data,
    ...(typeof raw.created_at === "string" ? { createdAt: raw.created_at } : {}),
    ...(typeof raw.registration_access_token === "string" ? { registrationAccessToken: raw.registration_access_token } : {}),
    ...(typeof raw.registration_client_uri === "string" ? { registrationClientUri: raw.registration_client_uri } : {}),
  };
}

/** The lifespans body of PUT /admin/clients/{id}/lifespans (client.Lifespans). */
export function decodeLifespansBody(text: string | Uint8Array): Partial<Record<string, string>> {
  const decoded = decodeGoJson(text, LIFESPANS);
  if (!decoded.ok) throw undecodableClientBody(decoded.message);
  return lifespansOf(decoded.value);
}

export interface ValidatorConfig {
  defaultScope: string;
  subjectTypes: string[];
  disallowPrivateIpRanges: boolean;
  /** GET the sector identifier document: the answer's status and (cut) body. */
  fetch: (url: string) => Promise<{ status: number; body: string }>;
}

/** Hydra's ValidateSectorIdentifierURL: an https JSON array listing every redirect URI. */
async function validateSectorIdentifier(config: ValidatorConfig, location: string, redirectUris: string[]): Promise<void> {
  const parsed = goUrlParse(location);
  if (!parsed.ok) throw invalidClientMetadata(`Value of sector_identifier_uri could not be parsed because ${parsed.error}.`);
  if (parsed.url.scheme !== "https") throw invalidClientMetadata();
  let urls: unknown;
  try {
    urls = JSON.parse((await config.fetch(location)).body) as unknown;
  } catch {
    throw invalidClientMetadata();
  }
  if (!Array.isArray(urls) || urls.length === 0) throw invalidClientMetadata();
  for (const redirect of redirectUris) if (!urls.includes(redirect)) throw invalidClientMetadata();
}

const isHttpScheme = (url: GoUrl) => url.scheme === "https" || url.scheme === "http";

/** The post-logout match: Scheme, Hostname() and Port() equal, byte for byte. */
const sameSchemeHostPort = (a: GoUrl, b: GoUrl) =>
  a.scheme === b.scheme && goUrlHostname(a) === goUrlHostname(b) && goUrlPort(a) === goUrlPort(b);

/**
 * One allowed_cors_origins entry as Validate checks and rewrites it: url.Parse,
 * http(s) only, no userinfo that prints (`https://@host` passes: its
 * Userinfo.String() is empty), nothing but slashes after the host, then
 * u.String() with the path's trailing slashes cut (RawPath is left as it
 * was, so EscapedPath falls back to the cut path).
 */
function corsOrigin(origin: string): string {
  const parsed = goUrlParse(origin);
  if (!parsed.ok) throw invalidClientMetadata(`Origin URL ${origin} from allowed_cors_origins could not be parsed: ${parsed.error}`);
  const url = parsed.url;
  if (!isHttpScheme(url)) throw invalidClientMetadata(`Origin URL ${origin} must use https:// or http:// as HTTP scheme.`);
  if (url.user && (url.user.username !== "" || url.user.password !== undefined))
    throw invalidClientMetadata(`Origin URL ${origin} has HTTP user and/or password set which is not allowed.`);
  const path = url.path.replace(/\/+$/, "");
  if (path.length + url.rawQuery.length + url.fragment.length > 0) {
    throw invalidClientMetadata(`Origin URL ${origin} must have an empty path, query, and fragment but one of the parts is not empty.`);
  }
  return utf8Text(goUrlStringBytes({ ...url, path }));
}

/** client/validator.go Validate, in its order; returns the client as Hydra stores it (defaults filled in). */
export async function validateClient(config: ValidatorConfig, client: DecodedClient): Promise<StoredClientData> {
  const c: StoredClientData = { ...client.data };
  if (!c.token_endpoint_auth_method) {
    c.token_endpoint_auth_method = "client_secret_basic";
  } else if (c.token_endpoint_auth_method === "private_key_jwt") {
    if (!c.jwks_uri && !c.jwks)
      throw invalidClientMetadata("When token_endpoint_auth_method is 'private_key_jwt', either jwks or jwks_uri must be set.");
    if (c.token_endpoint_auth_signing_alg && !SIGNING_ALGS.includes(c.token_endpoint_auth_signing_alg)) {
      throw invalidClientMetadata(
        "Only RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 and ES512 are supported as algorithms for private key authentication.",
      );
    }
  }
  if (c.jwks_uri && c.jwks) throw invalidClientMetadata("Fields jwks and jwks_uri can not both be set, you must choose one.");
  for (const key of c.jwks?.keys ?? []) {
    if (typeof key !== "object" || key === null || typeof key.kty !== "string") throw invalidClientMetadata("Invalid JSON web key in set.");
  }
  if (config.disallowPrivateIpRanges) {
    const values: Record<string, string> = {};
    if (c.jwks_uri) values.jwks_uri = c.jwks_uri;
    if (c.backchannel_logout_uri) values.backchannel_logout_uri = c.backchannel_logout_uri;
    c.request_uris.forEach((uri, index) => {
      if (uri) values[`request_uris.${index}`] = uri;
    });
    const refusal = await associatedIpsRefusal(values);
    if (refusal) throw invalidClientMetadata(`Client IP address is not allowed: ${refusal}`);
  }
  for (const [field, uri] of [
    ["tos_uri", c.tos_uri],
    ["policy_uri", c.policy_uri],
    ["logo_uri", c.logo_uri],
    ["client_uri", c.client_uri],
  ] as const) {
    if (!uri) continue;
    const parsed = goUrlParseRequestUri(uri);
    if (!parsed.ok) throw invalidClientMetadata(`Field ${field} must be a valid URI.`);
    if (!isHttpScheme(parsed.url)) throw invalidClientMetadata(`${uri} must use https:// or http:// as HTTP scheme for field ${field}.`);
  }
  if (client.secret.length > 0 && client.secret.length < 6)
    throw invalidClientMetadata("Field client_secret must contain a secret that is at least 6 characters long.");
  if (!c.scope) c.scope = config.defaultScope;
  c.allowed_cors_origins = c.allowed_cors_origins.map(corsOrigin);
  c.client_secret_expires_at = 0;
  if (c.sector_identifier_uri) await validateSectorIdentifier(config, c.sector_identifier_uri, c.redirect_uris);
  if (!c.userinfo_signed_response_alg) c.userinfo_signed_response_alg = "none";
  if (c.userinfo_signed_response_alg !== "none" && c.userinfo_signed_response_alg !== "RS256") {
    throw invalidClientMetadata("Field userinfo_signed_response_alg can either be 'none' or 'RS256'.");
  }
  const redirects = c.redirect_uris.map((uri) => {
    if (uri.includes("#")) throw invalidRedirectUri("Redirect URIs must not contain fragments (#).");
    const parsed = goUrlParseRequestUri(uri);
    if (!parsed.ok) throw invalidRedirectUri(`Unable to parse redirect URL: ${uri}`);
    return parsed.url;
  });
  if (c.subject_type) {
    if (!config.subjectTypes.includes(c.subject_type)) {
      throw invalidClientMetadata(
        `Subject type ${c.subject_type} is not supported by server, only [${config.subjectTypes.join(" ")}] are allowed.`,
      );
    }
  } else {
    c.subject_type = config.subjectTypes.includes("public") ? "public" : (config.subjectTypes[0] ?? "public");
  }
  for (const uri of c.post_logout_redirect_uris) {
    const parsed = goUrlParseRequestUri(uri);
    if (!parsed.ok) throw invalidClientMetadata(`Unable to parse post_logout_redirect_uri: ${uri}`);
    if (!redirects.some((redirect) => sameSchemeHostPort(redirect, parsed.url))) {
      throw invalidClientMetadata(
        `post_logout_redirect_uri ${JSON.stringify(uri)} must match the domain, port, scheme of at least one of the registered redirect URIs but did not`,
      );
    }
  }
  if (c.access_token_strategy) {
    const strategy = c.access_token_strategy.toLowerCase();
    if (strategy !== "jwt" && strategy !== "opaque")
      throw invalidClientMetadata(`invalid access token strategy: expected one of [jwt, opaque] but got ${strategy}`);
    c.access_token_strategy = strategy;
  }
  return c;
}

/** client/validator.go ValidateDynamicRegistration: what a self-registering client may not set, then Validate. */
export async function validateDynamicClient(config: ValidatorConfig, client: DecodedClient): Promise<StoredClientData> {
  if (client.hasMetadata) throw invalidClientMetadata('"metadata" cannot be set for dynamic client registration');
  if (client.data.access_token_strategy) throw HydraError.malformed("It is not allowed to choose your own access token strategy.");
  if (client.data.skip_consent)
    throw new HydraError(400, "invalid_request", "'skip_consent' cannot be set for dynamic client registration");
  if (client.data.skip_logout_consent === true)
    throw new HydraError(400, "invalid_request", "'skip_logout_consent' cannot be set for dynamic client registration");
  return validateClient(config, client);
}
