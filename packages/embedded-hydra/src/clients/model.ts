import type { ClientMetadata } from "oidc-provider";
import { LIFESPAN_FIELDS, lifespanNanos, LIFESPANS_METADATA, type LifespanField } from "./lifespans";
import { goJoseMarshal } from "../keys/go-jose-marshal";

/** Scopes oidc-provider itself knows; clients may register any others (Hydra's free-form scopes). */
export const PROVIDER_SCOPES = ["openid", "offline_access", "offline", "email", "profile", "phone", "address"];
/** Extra client metadata carrying the full registered scope for the "exact" scope check. */
export const FULL_SCOPE_METADATA = "olympus_hydra_scope";
/** Extra client metadata carrying the client's whitelisted audience (fosite's audience checks). */
export const AUDIENCE_METADATA = "olympus_hydra_audience";
/** Extra client metadata carrying the client's access_token_strategy ("" = the configured one). */
export const ACCESS_TOKEN_STRATEGY_METADATA = "olympus_hydra_access_token_strategy";

/** The grant and response types oidc-provider runs here (what a stored client may use at the OAuth2 endpoints). */
const PROVIDER_GRANT_TYPES = [
  "authorization_code",
  "refresh_token",
  "client_credentials",
  "implicit",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "urn:ietf:params:oauth:grant-type:device_code",
];
const PROVIDER_RESPONSE_TYPES = ["code", "id_token", "id_token token", "code id_token", "code token", "code id_token token", "none"];

interface JsonWebKeySet {
  keys: Array<Record<string, unknown>>;
}

/**
 * Hydra's OAuth2Client (client/client.go) as stored: every field Hydra
 * keeps, with Go's zero values for the ones not set. Hydra does not fill
 * `grant_types` or `response_types` in (fosite defaults them when used).
 */
export interface StoredClientData extends Partial<Record<LifespanField, string>> {
  client_name: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  scope: string;
  audience: string[];
  owner: string;
  policy_uri: string;
  allowed_cors_origins: string[];
  tos_uri: string;
  client_uri: string;
  logo_uri: string;
  contacts: string[];
  client_secret_expires_at: number;
  subject_type: string;
  sector_identifier_uri: string;
  jwks_uri: string;
  jwks: JsonWebKeySet | null;
  token_endpoint_auth_method: string;
  token_endpoint_auth_signing_alg: string;
  request_uris: string[];
  request_object_signing_alg: string;
  userinfo_signed_response_alg: string;
  frontchannel_logout_uri: string;
  frontchannel_logout_session_required: boolean;
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string;
  backchannel_logout_session_required: boolean;
  metadata: unknown;
  access_token_strategy: string;
  skip_consent: boolean;
  skip_logout_consent: boolean | null;
  /** Hash of the registration access token (dynamic client registration; never shown). */
  registration_access_token_hash?: string;
  /** Why oidc-provider cannot run this client, when Hydra would store it anyway (logged once; never shown). */
  unusable?: string;
}

export interface StoredClient {
  id: string;
  secretHash: string | null;
  data: StoredClientData;
  /** Go's JSON of the client's time.Time (@olympus/server-kit/clock): microseconds when read back, nanoseconds in an update's answer. */
  createdAt: string;
  updatedAt: string;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map((item) => (typeof item === "string" ? item : "")) : []);
const text = (value: unknown): string => (typeof value === "string" ? value : "");
const flag = (value: unknown): boolean => value === true;

/** A stored (or freshly decoded) client with every field present; also reads rows written by earlier versions. */
export function normalizeClientData(raw: Record<string, unknown>): StoredClientData {
  const jwks = raw.jwks;
  const data: StoredClientData = {
    client_name: text(raw.client_name),
    redirect_uris: strings(raw.redirect_uris),
    grant_types: strings(raw.grant_types),
    response_types: strings(raw.response_types),
    scope: text(raw.scope),
    audience: strings(raw.audience),
    owner: text(raw.owner),
    policy_uri: text(raw.policy_uri),
    allowed_cors_origins: strings(raw.allowed_cors_origins),
    tos_uri: text(raw.tos_uri),
    client_uri: text(raw.client_uri),
    logo_uri: text(raw.logo_uri),
    contacts: strings(raw.contacts),
    client_secret_expires_at: typeof raw.client_secret_expires_at === "number" ? raw.client_secret_expires_at : 0,
    subject_type: text(raw.subject_type),
    sector_identifier_uri: text(raw.sector_identifier_uri),
    jwks_uri: text(raw.jwks_uri),
    jwks: typeof jwks === "object" && jwks !== null && Array.isArray((jwks as JsonWebKeySet).keys) ? (jwks as JsonWebKeySet) : null,
    token_endpoint_auth_method: text(raw.token_endpoint_auth_method),
    token_endpoint_auth_signing_alg: text(raw.token_endpoint_auth_signing_alg),
    request_uris: strings(raw.request_uris),
    request_object_signing_alg: text(raw.request_object_signing_alg),
    userinfo_signed_response_alg: text(raw.userinfo_signed_response_alg),
    frontchannel_logout_uri: text(raw.frontchannel_logout_uri),
    frontchannel_logout_session_required: flag(raw.frontchannel_logout_session_required),
    post_logout_redirect_uris: strings(raw.post_logout_redirect_uris),
    backchannel_logout_uri: text(raw.backchannel_logout_uri),
    backchannel_logout_session_required: flag(raw.backchannel_logout_session_required),
    metadata: raw.metadata === undefined ? null : raw.metadata,
    access_token_strategy: text(raw.access_token_strategy),
    skip_consent: flag(raw.skip_consent),
    skip_logout_consent: typeof raw.skip_logout_consent === "boolean" ? raw.skip_logout_consent : null,
  };
  for (const field of LIFESPAN_FIELDS) {
    const value = raw[field];
    if (typeof value === "string" && value) data[field] = value;
  }
  // Rows an earlier version wrote may hold `rotated_secrets`: Hydra v26.2.0 has no secret rotation, so they are dropped here.
  if (typeof raw.registration_access_token_hash === "string") data.registration_access_token_hash = raw.registration_access_token_hash;
  if (typeof raw.unusable === "string") data.unusable = raw.unusable;
  return data;
}

/**
 * Hydra's JSON of a client (client/client.go field tags): zero values are
 * shown except for the `omitempty` fields, unset lifespans are `null`, the
 * secret only where Hydra echoes it.
 */
export function clientToJson(
  client: StoredClient,
  extra: { secret?: string; registrationAccessToken?: string; registrationClientUri?: string } = {},
): Record<string, unknown> {
  const { data } = client;
  const omitEmpty = (value: string | boolean | string[]) => (Array.isArray(value) ? value.length > 0 : Boolean(value));
  const json: Record<string, unknown> = {
    client_id: client.id,
    client_name: data.client_name,
    ...(extra.secret !== undefined ? { client_secret: extra.secret } : {}),
    redirect_uris: data.redirect_uris,
    grant_types: data.grant_types,
    response_types: data.response_types,
    scope: data.scope,
    audience: data.audience,
    owner: data.owner,
    policy_uri: data.policy_uri,
    allowed_cors_origins: data.allowed_cors_origins,
    tos_uri: data.tos_uri,
    client_uri: data.client_uri,
    logo_uri: data.logo_uri,
    contacts: data.contacts,
    client_secret_expires_at: data.client_secret_expires_at,
    subject_type: data.subject_type,
    // Each key as go-jose marshals it (jsonb keeps no member order): keys/go-jose-marshal.ts.
    jwks: data.jwks ? { keys: data.jwks.keys.map(goJoseMarshal) } : {},
    token_endpoint_auth_method: data.token_endpoint_auth_method,
    userinfo_signed_response_alg: data.userinfo_signed_response_alg,
    created_at: client.createdAt,
    updated_at: client.updatedAt,
    metadata: data.metadata ?? {},
    skip_consent: data.skip_consent,
    skip_logout_consent: data.skip_logout_consent,
  };
  const optional: Array<[string, string | boolean | string[]]> = [
    ["sector_identifier_uri", data.sector_identifier_uri],
    ["jwks_uri", data.jwks_uri],
    ["token_endpoint_auth_signing_alg", data.token_endpoint_auth_signing_alg],
    ["request_uris", data.request_uris],
    ["request_object_signing_alg", data.request_object_signing_alg],
    ["frontchannel_logout_uri", data.frontchannel_logout_uri],
    ["frontchannel_logout_session_required", data.frontchannel_logout_session_required],
    ["post_logout_redirect_uris", data.post_logout_redirect_uris],
    ["backchannel_logout_uri", data.backchannel_logout_uri],
    ["backchannel_logout_session_required", data.backchannel_logout_session_required],
    ["access_token_strategy", data.access_token_strategy],
  ];
  for (const [key, value] of optional) if (omitEmpty(value)) json[key] = value;
  if (extra.registrationAccessToken) json.registration_access_token = extra.registrationAccessToken;
  if (extra.registrationClientUri) json.registration_client_uri = extra.registrationClientUri;
  for (const field of LIFESPAN_FIELDS) json[field] = data[field] ?? null;
  return json;
}

/** A response type in the word order oidc-provider lists it, if oidc-provider knows it. */
function canonicalResponseType(type: string): string | undefined {
  const words = type.split(" ").filter(Boolean).sort().join(" ");
  return PROVIDER_RESPONSE_TYPES.find((known) => known.split(" ").sort().join(" ") === words);
}

/** `code` needs the authorization_code grant, `token` and `id_token` the implicit grant. */
function responseTypeUsable(type: string, grants: string[]): boolean {
  const words = type.split(" ");
  if (words.includes("code") && !grants.includes("authorization_code")) return false;
  if ((words.includes("token") || words.includes("id_token")) && !grants.includes("implicit")) return false;
  return true;
}

/** fosite's DefaultClient defaults: no grant types means the code grant, no response types means `code`. */
function effectiveGrantTypes(data: StoredClientData): string[] {
  return data.grant_types.length ? data.grant_types : ["authorization_code"];
}

function effectiveResponseTypes(data: StoredClientData): string[] {
  return data.response_types.length ? data.response_types : ["code"];
}

/**
 * Translates a stored Hydra client into oidc-provider client metadata. The
 * stored secret *hash* stands in for client_secret; secret comparison is
 * overridden to verify against it (provider/client-auth.ts). Grant and
 * response types oidc-provider does not run are left out (Hydra keeps them
 * but fosite refuses to use them the same way).
 */
export function toProviderMetadata(client: Pick<StoredClient, "id" | "secretHash" | "data">): ClientMetadata {
  const { data } = client;
  const grants = effectiveGrantTypes(data).filter((grant) => PROVIDER_GRANT_TYPES.includes(grant));
  const redirecting = grants.includes("authorization_code") || grants.includes("implicit");
  const responseTypes = effectiveResponseTypes(data)
    .map((type) => canonicalResponseType(type))
    .filter((type): type is string => type !== undefined && responseTypeUsable(type, grants));
  const metadata: ClientMetadata = {
    client_id: client.id,
    client_name: data.client_name || undefined,
    grant_types: grants,
    response_types: (redirecting ? responseTypes : []) as ClientMetadata["response_types"],
    redirect_uris: redirecting ? [...data.redirect_uris] : [],
    post_logout_redirect_uris: [...data.post_logout_redirect_uris],
    // No `scope`: oidc-provider would refuse unregistered scopes in its own words; the embedded
    // server refuses them as fosite does, from this copy.
    [FULL_SCOPE_METADATA]: data.scope,
    [AUDIENCE_METADATA]: [...data.audience],
    [ACCESS_TOKEN_STRATEGY_METADATA]: data.access_token_strategy,
    // Read synchronously by the ttl functions (provider/token-ttl.ts).
    [LIFESPANS_METADATA]: lifespanNanos(data),
    token_endpoint_auth_method: (data.token_endpoint_auth_method || "client_secret_basic") as ClientMetadata["token_endpoint_auth_method"],
    client_secret_expires_at: 0,
    subject_type: data.subject_type === "pairwise" ? "pairwise" : "public",
  };
  if (client.secretHash && data.token_endpoint_auth_method !== "none") metadata.client_secret = client.secretHash;
  if (data.jwks) metadata.jwks = data.jwks;
  if (data.jwks_uri) metadata.jwks_uri = data.jwks_uri;
  if (data.token_endpoint_auth_signing_alg)
    metadata.token_endpoint_auth_signing_alg = data.token_endpoint_auth_signing_alg as ClientMetadata["token_endpoint_auth_signing_alg"];
  if (data.sector_identifier_uri) metadata.sector_identifier_uri = data.sector_identifier_uri;
  if (data.backchannel_logout_uri) {
    metadata.backchannel_logout_uri = data.backchannel_logout_uri;
    metadata.backchannel_logout_session_required = data.backchannel_logout_session_required;
  }
  return metadata;
}
