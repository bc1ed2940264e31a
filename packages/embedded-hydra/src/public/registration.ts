import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { clientToJson, type StoredClient } from "../clients/model";
import {
  generateHydraSecret,
  generateRegistrationToken,
  registrationClientUri,
  registrationTokenHash,
  storeNewClient,
  storeUpdatedClient,
  validatorConfig,
} from "../clients/service";
import { decodeClient, undecodableClientBody, validateDynamicClient } from "../clients/validator";
import type { Deps } from "../deps";
import { HydraError } from "../errors";
import { readDecoderBody } from "../http";
import { assertStorable } from "../storable";
import type { Mapping } from "./mapping";

/**
 * OpenID Connect Dynamic Client Registration as Hydra serves it
 * (client/handler.go createOidcDynamicClient, getOidcDynamicClient,
 * setOidcDynamicClient, deleteOidcDynamicClient), behind
 * `oidc.dynamic_client_registration.enabled`. A client manages itself with
 * the registration access token it was given at creation (by this endpoint
 * or the admin API); updating hands out a new one, an admin PUT or PATCH
 * ends it (clients/service.ts storeUpdatedClient).
 */
export const REGISTRATION_PATH = "/oauth2/register";

const NOT_ENABLED = () => new HydraError(404, "The requested resource could not be found", "Dynamic registration is not enabled.");
const UNAUTHORIZED = () =>
  new HydraError(
    401,
    "The request could not be authorized",
    "The requested OAuth 2.0 client does not exist or you provided incorrect credentials.",
  );

function json(status: number, body: unknown, headers: Record<string, string> = {}): Mapping {
  return { kind: "json", status, body, headers };
}

/** fosite's AccessTokenFromRequest: the Bearer token of the Authorization header. */
function bearer(req: IncomingMessage): string {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
  return match?.[1]?.trim() ?? "";
}

/** Hydra's ValidDynamicAuth: the client exists and the token is its registration access token. */
async function authenticated(deps: Deps, req: IncomingMessage, id: string): Promise<StoredClient> {
  const client = await deps.clients.get(id);
  const expected = client?.data.registration_access_token_hash;
  const token = bearer(req);
  if (!client || !expected || !token) throw UNAUTHORIZED();
  const given = Buffer.from(registrationTokenHash(token));
  const stored = Buffer.from(expected);
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) throw UNAUTHORIZED();
  return client;
}

/** A self-registered client sees itself without its metadata (Hydra sets it to nil). */
function publicJson(client: StoredClient, extra: Parameters<typeof clientToJson>[1] = {}): Record<string, unknown> {
  const { metadata: _metadata, ...rest } = clientToJson(client, extra);
  return rest;
}

export async function handleRegistration(deps: Deps, req: IncomingMessage, pathname: string): Promise<Mapping | undefined> {
  if (pathname !== REGISTRATION_PATH && !pathname.startsWith(`${REGISTRATION_PATH}/`)) return undefined;
  if (!deps.config.oidc.dynamic_client_registration.enabled) throw NOT_ENABLED();
  const rawId = pathname.slice(REGISTRATION_PATH.length + 1);
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    throw UNAUTHORIZED();
  }

  if (pathname === REGISTRATION_PATH) {
    if (req.method !== "POST") return undefined;
    const decoded = decodeClient(await readDecoderBody(req, undecodableClientBody));
    assertStorable(decoded);
    if (decoded.secret) throw HydraError.malformed("It is not allowed to choose your own OAuth2 Client secret.");
    const secret = generateHydraSecret();
    const data = await validateDynamicClient(validatorConfig(deps), { ...decoded, secret });
    const created = await storeNewClient(deps, "", secret, data);
    const body = clientToJson(created.client, {
      ...(data.token_endpoint_auth_method === "none" ? {} : { secret }),
      registrationAccessToken: created.registrationAccessToken,
      registrationClientUri: registrationClientUri(deps, created.client.id),
    });
    return json(201, body, { location: `admin/clients/${encodeURIComponent(created.client.id)}` });
  }

  if (!rawId || rawId.includes("/")) return undefined;
  switch (req.method) {
    case "GET": {
      const client = await authenticated(deps, req, id);
      return json(200, publicJson(client));
    }
    case "PUT": {
      const existing = await authenticated(deps, req, id);
      // client/handler.go setOidcDynamicClient: Go's error goes to the debug field, which is not shown.
      const undecodable = () => HydraError.malformed("Unable to decode the request body. Is it valid JSON?");
      const decoded = decodeClient(await readDecoderBody(req, undecodable), undecodable);
      assertStorable(decoded);
      if (decoded.secret)
        throw new HydraError(403, "The requested action was forbidden", "It is not allowed to choose your own OAuth2 Client secret.");
      const data = await validateDynamicClient(validatorConfig(deps), decoded);
      const registration = generateRegistrationToken();
      const updated = await storeUpdatedClient(deps, existing, decoded, data, { registrationTokenHash: registration.hash });
      // The decoded body is answered: its registration_client_uri too (setOidcDynamicClient sets none).
      const uri = decoded.registrationClientUri ? { registrationClientUri: decoded.registrationClientUri } : {};
      return json(200, clientToJson(updated, { registrationAccessToken: registration.token, ...uri }));
    }
    case "DELETE": {
      const client = await authenticated(deps, req, id);
      await deps.clients.delete(client.id);
      await deps.sessions.deleteConsentsOfClient(client.id);
      await deps.db.query("DELETE FROM oidc_payloads WHERE payload->>'clientId' = $1", [client.id]);
      return { kind: "empty", status: 204 };
    }
    default:
      return undefined;
  }
}
