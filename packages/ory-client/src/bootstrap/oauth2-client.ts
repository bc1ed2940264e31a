import { scrypt } from "node:crypto";
import { promisify } from "node:util";
import { z } from "zod";
import { adminRequest, type AdminApi } from "./admin-api";
import type { EnsureOutcome } from "./iam-admin";

/**
 * An OAuth2 client as Olympus registers it in a Hydra: the fields of
 * platform/prod/oauth2-clients.yml plus its secret (from the environment in
 * production, a development constant in the dev seeds).
 */
export interface OAuth2ClientDefinition {
  client_id: string;
  client_name: string;
  /** Absent for a public client (`token_endpoint_auth_method: none`). */
  client_secret?: string | undefined;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  scope: string;
  token_endpoint_auth_method: "client_secret_basic" | "client_secret_post" | "none";
  skip_consent: boolean;
  metadata: Record<string, string | number | boolean>;
  /** A Go duration ("5m"); unset: Hydra's ttl.access_token applies. */
  client_credentials_grant_access_token_lifespan?: string | undefined;
}

export interface OAuth2ClientResult {
  clientId: string;
  outcome: EnsureOutcome;
  /** Fields that differed from the definition and were replaced (`client_secret` when the secret changed). */
  changes: string[];
}

/**
 * Hydra never shows a secret again, so a changed secret cannot be seen by
 * reading the client. The bootstrap keeps a digest of the secret it set in
 * the client's metadata under this key: scrypt, salted with the client id —
 * as slow to guess from as a password hash, for a value that is random
 * anyway — and compares digests on the next run.
 */
export const SECRET_DIGEST_KEY = "olympus_secret_digest";

const storedClient = z.looseObject({
  client_id: z.string(),
  client_name: z.string().optional(),
  redirect_uris: z.array(z.string()).nullish(),
  post_logout_redirect_uris: z.array(z.string()).nullish(),
  grant_types: z.array(z.string()).nullish(),
  response_types: z.array(z.string()).nullish(),
  scope: z.string().optional(),
  token_endpoint_auth_method: z.string().optional(),
  skip_consent: z.boolean().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  client_credentials_grant_access_token_lifespan: z.string().nullish(),
});
type StoredClient = z.infer<typeof storedClient>;

/**
 * Creates the client when Hydra does not know it, replaces it (PUT, secret
 * included) when any defined field — or the secret — drifted, and leaves it
 * alone otherwise. Fields the definition does not set are Hydra's.
 */
export async function ensureOAuth2Client(hydra: AdminApi, definition: OAuth2ClientDefinition): Promise<OAuth2ClientResult> {
  const path = `/admin/clients/${encodeURIComponent(definition.client_id)}`;
  const digest = definition.client_secret === undefined ? undefined : await secretDigest(definition.client_id, definition.client_secret);
  const body = {
    ...definition,
    metadata: digest === undefined ? definition.metadata : { ...definition.metadata, [SECRET_DIGEST_KEY]: digest },
  };
  const found = await adminRequest(hydra, "GET", path, storedClient, { accept: [200, 404] });
  if (!found.body) {
    await adminRequest(hydra, "POST", "/admin/clients", storedClient, { body, accept: [201] });
    return { clientId: definition.client_id, outcome: "created", changes: ["client"] };
  }
  const changes = clientDrift(found.body, definition, digest);
  if (changes.length === 0) return { clientId: definition.client_id, outcome: "unchanged", changes };
  await adminRequest(hydra, "PUT", path, storedClient, { body, accept: [200] });
  return { clientId: definition.client_id, outcome: "updated", changes };
}

/** The defined fields on which `stored` differs from `definition` (lists compared in order, metadata by key). */
export function clientDrift(stored: StoredClient, definition: OAuth2ClientDefinition, digest: string | undefined): string[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const { [SECRET_DIGEST_KEY]: storedDigest, ...storedMetadata } = stored.metadata ?? {};
  const checks: [string, boolean][] = [
    ["client_name", stored.client_name === definition.client_name],
    ["redirect_uris", same(stored.redirect_uris ?? [], definition.redirect_uris)],
    ["post_logout_redirect_uris", same(stored.post_logout_redirect_uris ?? [], definition.post_logout_redirect_uris)],
    ["grant_types", same(stored.grant_types ?? [], definition.grant_types)],
    ["response_types", same(stored.response_types ?? [], definition.response_types)],
    ["scope", stored.scope === definition.scope],
    ["token_endpoint_auth_method", stored.token_endpoint_auth_method === definition.token_endpoint_auth_method],
    ["skip_consent", (stored.skip_consent ?? false) === definition.skip_consent],
    ["metadata", same(sortKeys(storedMetadata), sortKeys(definition.metadata))],
    [
      "client_credentials_grant_access_token_lifespan",
      definition.client_credentials_grant_access_token_lifespan === undefined ||
        durationSeconds(stored.client_credentials_grant_access_token_lifespan) ===
          durationSeconds(definition.client_credentials_grant_access_token_lifespan),
    ],
    ["client_secret", digest === undefined || storedDigest === digest],
  ];
  return checks.filter(([, ok]) => !ok).map(([field]) => field);
}

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: string,
  keylen: number,
  options: { N: number; r: number; p: number },
) => Promise<Buffer>;

/** `scrypt:<hex>` of a client secret, salted with its client id (see SECRET_DIGEST_KEY). */
export async function secretDigest(clientId: string, secret: string): Promise<string> {
  const key = await scryptAsync(secret, `olympus-oauth2-client:${clientId}`, 32, { N: 16_384, r: 8, p: 1 });
  return `scrypt:${key.toString("hex")}`;
}

/** Seconds of a Go duration of hours, minutes and seconds: Hydra answers "5m0s" for a lifespan set as "5m". */
export function durationSeconds(value: string | null | undefined): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value ?? "");
  if (!value || !match) return undefined;
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Ends everything IAM Hydra holds for `subject`: every consent (so every
 * token issued under it) and every login session. What Athena does on a role
 * change; a lowered role then applies at the person's next sign-in.
 */
export async function endHydraSessions(hydra: AdminApi, subject: string): Promise<void> {
  const query = `subject=${encodeURIComponent(subject)}`;
  await adminRequest(hydra, "DELETE", `/admin/oauth2/auth/sessions/consent?${query}&all=true`, z.unknown(), { accept: [204, 404] });
  await adminRequest(hydra, "DELETE", `/admin/oauth2/auth/sessions/login?${query}`, z.unknown(), { accept: [204, 404] });
}
