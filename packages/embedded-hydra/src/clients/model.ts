import type { ClientMetadata } from "oidc-provider";
import { z } from "zod";
import { lifespanSeconds, lifespansSchema, LIFESPANS_METADATA } from "./lifespans";

const SUPPORTED_GRANTS = ["authorization_code", "refresh_token", "client_credentials"] as const;
const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"] as const;
export const DEFAULT_CLIENT_SCOPE = "offline_access offline openid";
/** Scopes oidc-provider itself knows; clients may register any others (Hydra's free-form scopes). */
export const PROVIDER_SCOPES = ["openid", "offline_access", "offline", "email", "profile", "phone", "address"];
/** Extra client metadata carrying the full registered scope for the "exact" scope check. */
export const FULL_SCOPE_METADATA = "olympus_hydra_scope";

const stringList = z.array(z.string()).nullish().transform((value) => value ?? []);
const optionalString = z.string().nullish().transform((value) => value ?? "");

/**
 * Hydra's OAuth2Client as accepted by POST/PUT /admin/clients. Fields this
 * server does not act on are still stored and echoed so clients round-trip.
 */
export const clientInputSchema = z.object({
  client_id: z.string().min(1).max(255).regex(/^[A-Za-z0-9._~:@-]+$/, "client_id may only contain URL-safe characters").optional(),
  client_secret: z.string().nullish(),
  client_name: optionalString,
  redirect_uris: z.array(z.url()).nullish().transform((value) => value ?? []),
  post_logout_redirect_uris: z.array(z.url()).nullish().transform((value) => value ?? []),
  grant_types: z
    .array(z.enum(SUPPORTED_GRANTS, { message: `grant_types may only contain ${SUPPORTED_GRANTS.join(", ")} (no implicit grant)` }))
    .nullish()
    .transform((value): (typeof SUPPORTED_GRANTS)[number][] => (value && value.length > 0 ? value : ["authorization_code"])),
  response_types: z
    .array(z.literal("code", { message: 'response_types may only contain "code" (no implicit or hybrid flows)' }))
    .nullish()
    .transform((value): "code"[] => (value && value.length > 0 ? value : ["code"])),
  scope: z
    .string()
    .nullish()
    .transform((value) => (value && value.trim() ? value.trim().split(/\s+/).join(" ") : DEFAULT_CLIENT_SCOPE)),
  audience: stringList,
  owner: optionalString,
  policy_uri: optionalString,
  tos_uri: optionalString,
  client_uri: optionalString,
  logo_uri: optionalString,
  contacts: stringList,
  allowed_cors_origins: stringList,
  client_secret_expires_at: z.number().int().nonnegative().nullish().transform((value) => value ?? 0),
  subject_type: z.literal("public", { message: 'only subject_type "public" is supported' }).nullish().transform(() => "public" as const),
  token_endpoint_auth_method: z.enum(AUTH_METHODS).nullish().transform((value) => value ?? "client_secret_basic"),
  frontchannel_logout_uri: optionalString,
  frontchannel_logout_session_required: z.boolean().nullish().transform((value) => value ?? false),
  backchannel_logout_uri: z.union([z.url(), z.literal("")]).nullish().transform((value) => value ?? ""),
  backchannel_logout_session_required: z.boolean().nullish().transform((value) => value ?? false),
  metadata: z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? {}),
  skip_consent: z.boolean().nullish().transform((value) => value ?? false),
  skip_logout_consent: z.boolean().nullish().transform((value) => value ?? false),
  access_token_strategy: z.literal("opaque", { message: 'only access_token_strategy "opaque" is supported' }).nullish().transform(() => "opaque" as const),
  userinfo_signed_response_alg: z.literal("none").nullish().transform(() => "none" as const),
  // Hydra's per-client token lifespans (clients/lifespans.ts); unset ones are omitted from the JSON.
  ...lifespansSchema.shape,
});

export type ClientInput = z.input<typeof clientInputSchema>;
/** The stored, normalised client (no secret; timestamps live in their own columns). */
export type StoredClientData = Omit<z.output<typeof clientInputSchema>, "client_id" | "client_secret">;

export interface StoredClient {
  id: string;
  secretHash: string | null;
  data: StoredClientData;
  createdAt: Date;
  updatedAt: Date;
}

/** Hydra's JSON representation of a client (client_secret only where Hydra shows it). */
export function clientToJson(client: StoredClient, plaintextSecret?: string): Record<string, unknown> {
  return {
    client_id: client.id,
    ...client.data,
    ...(plaintextSecret !== undefined ? { client_secret: plaintextSecret } : {}),
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
  };
}

/**
 * Translates a stored Hydra client into oidc-provider client metadata. The
 * stored secret *hash* stands in for client_secret; secret comparison is
 * overridden to verify against it (see provider/client-secrets.ts).
 */
export function toProviderMetadata(client: StoredClient): ClientMetadata {
  const { data } = client;
  const codeFlow = data.grant_types.includes("authorization_code");
  const metadata: ClientMetadata = {
    client_id: client.id,
    client_name: data.client_name || undefined,
    grant_types: [...data.grant_types],
    response_types: codeFlow ? [...data.response_types] : [],
    redirect_uris: codeFlow ? [...data.redirect_uris] : [],
    post_logout_redirect_uris: [...data.post_logout_redirect_uris],
    // oidc-provider only accepts scopes it knows; the full list rides along for our own checks.
    scope: data.scope.split(" ").filter((scope) => PROVIDER_SCOPES.includes(scope)).join(" ") || undefined,
    [FULL_SCOPE_METADATA]: data.scope,
    // Read synchronously by the ttl functions (provider/token-ttl.ts).
    [LIFESPANS_METADATA]: lifespanSeconds(data),
    token_endpoint_auth_method: data.token_endpoint_auth_method,
    client_secret_expires_at: data.client_secret_expires_at,
  };
  if (client.secretHash && data.token_endpoint_auth_method !== "none") metadata.client_secret = client.secretHash;
  if (data.backchannel_logout_uri) {
    metadata.backchannel_logout_uri = data.backchannel_logout_uri;
    metadata.backchannel_logout_session_required = data.backchannel_logout_session_required;
  }
  return metadata;
}
