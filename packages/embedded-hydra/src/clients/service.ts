import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import { GO_ZERO_NANOS, goTimeNanos, goUtcJson, goUtcJsonInRange, nowNanos, roundSecond } from "@olympus/server-kit/clock";
import type { Deps } from "../deps";
import { HydraError } from "../errors";
import { fetchText } from "./outbound-http";
import { privateIpPolicyOf } from "./private-ip-policy";
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

/** ValidateSectorIdentifierURL reads the answer through io.LimitReader(…, 5 MiB). */
const SECTOR_IDENTIFIER_LIMIT = 5 << 20;

export function validatorConfig(deps: Deps): ValidatorConfig {
  const { oidc, clients } = deps.config;
  return {
    defaultScope: oidc.dynamic_client_registration.default_scope.join(" "),
    subjectTypes: subjectTypesSupported(deps.config),
    disallowPrivateIpRanges: clients.http.disallow_private_ip_ranges,
    // ValidateSectorIdentifierURL fetches with v.r.HTTPClient: the resilient client under the private-IP policy.
    fetch: (url) => fetchText(url, { ...privateIpPolicyOf(deps.config), limit: SECTOR_IDENTIFIER_LIMIT }),
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
    await deps.provider().Client.validate(toProviderMetadata({ id, secretHash, data: clean }));
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

/**
 * client/handler.go CreateClient after validation: created_at is
 * time.Now().UTC().Round(time.Second) (pop's Create keeps it and stamps
 * updated_at), the secret hashed, a registration access token issued.
 */
export async function storeNewClient(deps: Deps, id: string, secret: string, data: StoredClientData): Promise<CreatedClient> {
  const clientId = id || randomUUID();
  const createdAt = goUtcJsonInRange(roundSecond(nowNanos()));
  const secretHash = await hashClientSecret(secret);
  const registration = generateRegistrationToken();
  try {
    const client = await deps.clients.create(
      clientId,
      secretHash,
      await withUsability(deps, clientId, secretHash, { ...data, registration_access_token_hash: registration.hash }),
      createdAt,
    );
    return { client, secret, registrationAccessToken: registration.token };
  } catch (error) {
    if (error instanceof ClientConflictError) throw HydraError.uniqueViolation();
    throw error;
  }
}

/**
 * client/client.go BeforeSave on the client the handler decoded: its
 * created_at in UTC, time.Now() when it had none (or Go's zero time);
 * undefined when Go could not write it back (a year outside 0–9999 in UTC).
 */
function beforeSaveCreatedAt(text: string | undefined): string | undefined {
  const given = text === undefined ? undefined : goTimeNanos(text);
  return goUtcJson(given === undefined || given === GO_ZERO_NANOS ? nowNanos() : given);
}

/** herodot's answer when json.Encoder cannot write the response: a bare error, Hydra's unnamed 500. */
const unwritableAnswer = () => new HydraError(500, "error", "The error is unrecognizable");

/**
 * client/handler.go updateClient and the persister's UpdateClient: without a
 * new secret the stored one stays; a new secret replaces it. Hydra writes
 * every column from the decoded client, so the registration access token is
 * the one in `registrationTokenHash` (none: the old one stops working), and
 * the client answered is that struct after the write: updated_at pop's
 * stamp, created_at the decoded one after BeforeSave (pop's UpdateQuery
 * never writes created_at). When Go cannot encode that created_at, the row
 * is updated all the same and the answer is herodot's 500.
 */
export async function storeUpdatedClient(
  deps: Deps,
  existing: StoredClient,
  decoded: DecodedClient,
  data: StoredClientData,
  options: { registrationTokenHash?: string } = {},
): Promise<StoredClient> {
  const createdAt = beforeSaveCreatedAt(decoded.createdAt);
  let secretHash = existing.secretHash;
  const { registration_access_token_hash: _replaced, ...rest } = data;
  const next: StoredClientData = rest;
  if (decoded.secret) secretHash = await hashClientSecret(decoded.secret);
  if (options.registrationTokenHash) next.registration_access_token_hash = options.registrationTokenHash;
  const updated = await deps.clients.update(existing.id, secretHash, await withUsability(deps, existing.id, secretHash, next));
  if (!updated) throw HydraError.noRows();
  if (createdAt === undefined) throw unwritableAnswer();
  return { ...updated, createdAt };
}
