import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import type { Deps } from "../deps";
import { HydraError } from "../errors";
import { ClientConflictError } from "./repository";
import { toProviderMetadata, type StoredClient, type StoredClientData } from "./model";
import { hashClientSecret } from "./secret-hash";
import { subjectTypesSupported } from "./subject-types";
import type { DecodedClient, ValidatorConfig } from "./validator";

/** x.GenerateSecret(26): Hydra's generated client secrets (alphanumerics and -._~). */
const SECRET_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
export function generateHydraSecret(length = 26): string {
  return Array.from({ length }, () => SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)]).join("");
}

export function validatorConfig(deps: Deps): ValidatorConfig {
  const { oidc, clients } = deps.config;
  return {
    defaultScope: oidc.dynamic_client_registration.default_scope.join(" "),
    subjectTypes: subjectTypesSupported(deps.config),
    disallowPrivateIpRanges: clients.http.disallow_private_ip_ranges,
    fetch: (url) => fetch(url, { redirect: "error", signal: AbortSignal.timeout(10_000) }),
  };
}

/**
 * A registration access token (Hydra's HMAC access token format,
 * `ory_at_…`), stored as its SHA-256 only: it is high-entropy, so a fast
 * hash is as safe as a slow one.
 */
export function generateRegistrationToken(): { token: string; hash: string } {
  const token = `ory_at_${randomBytes(32).toString("base64url")}.${randomBytes(32).toString("base64url")}`;
  return { token, hash: registrationTokenHash(token) };
}

export function registrationTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** Hydra's RegistrationClientURI: where the client reads and changes itself (dynamic registration). */
export function registrationClientUri(deps: Deps, id: string): string {
  return `${deps.publicUrl}oauth2/register/${encodeURIComponent(id)}`;
}

/**
 * Whether oidc-provider can run the client Hydra accepted. Hydra stores
 * clients its token endpoint would refuse to serve (an unknown
 * authentication method, say); such a client is stored here as well, and
 * the OAuth2 endpoints treat it as unknown.
 */
async function withUsability(deps: Deps, id: string, secretHash: string | null, data: StoredClientData): Promise<StoredClientData> {
  const { unusable: _previous, ...clean } = data;
  try {
    await deps
      .provider()
      .Client.validate(toProviderMetadata({ id, secretHash, data: clean, createdAt: new Date(), updatedAt: new Date() }));
    return clean;
  } catch (error) {
    const described = error as { error_description?: string; message?: string };
    const problem = described.error_description ?? described.message ?? "the client metadata is invalid";
    deps.logger.log("warn", "client stored as Hydra would, but the OAuth2 endpoints cannot serve it", { client_id: id, reason: problem });
    return { ...clean, unusable: problem };
  }
}

export interface CreatedClient {
  client: StoredClient;
  /** The plaintext secret, for the one answer that shows it. */
  secret: string;
  registrationAccessToken: string;
}

/** client/handler.go CreateClient after validation: the secret hashed, a registration access token issued. */
export async function storeNewClient(deps: Deps, id: string, secret: string, data: StoredClientData): Promise<CreatedClient> {
  const clientId = id || randomUUID();
  const secretHash = await hashClientSecret(secret);
  const registration = generateRegistrationToken();
  try {
    const client = await deps.clients.create(
      clientId,
      secretHash,
      await withUsability(deps, clientId, secretHash, { ...data, registration_access_token_hash: registration.hash }),
    );
    return { client, secret, registrationAccessToken: registration.token };
  } catch (error) {
    if (error instanceof ClientConflictError) throw HydraError.uniqueViolation();
    throw error;
  }
}

/**
 * client/handler.go updateClient and the persister's UpdateClient: without a
 * new secret the stored one (and the rotated ones, unless `clearRotated`)
 * stay; a new secret replaces it and ends the rotated ones.
 */
export async function storeUpdatedClient(
  deps: Deps,
  existing: StoredClient,
  decoded: DecodedClient,
  data: StoredClientData,
  options: { clearRotated?: boolean; registrationTokenHash?: string } = {},
): Promise<StoredClient> {
  let secretHash = existing.secretHash;
  const next: StoredClientData = { ...data };
  if (decoded.secret) secretHash = await hashClientSecret(decoded.secret);
  else if (!options.clearRotated && existing.data.rotated_secrets) next.rotated_secrets = existing.data.rotated_secrets;
  const registrationHash = options.registrationTokenHash ?? existing.data.registration_access_token_hash;
  if (registrationHash) next.registration_access_token_hash = registrationHash;
  const updated = await deps.clients.update(existing.id, secretHash, await withUsability(deps, existing.id, secretHash, next));
  if (!updated) throw HydraError.noRows();
  return updated;
}
