import { patchClientText, patchError } from "../clients/json-patch";
import { LIFESPAN_FIELDS } from "../clients/lifespans";
import { clientToJson, type StoredClient, type StoredClientData } from "../clients/model";
import { hashClientSecret } from "../clients/secret-hash";
import { generateHydraSecret, registrationClientUri, storeNewClient, storeUpdatedClient, validatorConfig } from "../clients/service";
import { decodeClient, decodeLifespansBody, validateClient, type DecodedClient } from "../clients/validator";
import type { Deps } from "../deps";
import { HydraError, sendJson } from "../errors";
import { readBodyBytes } from "../http";
import { assertStorable } from "../storable";
import { goTimeJson } from "@olympus/server-kit/go-json";
import { TOO_DEEP } from "./go-json";
import { linkHeader, parsePageRequest } from "./pagination";
import type { AdminRequest, AdminRouter } from "./router";

async function readClientBody(req: AdminRequest["req"]): Promise<DecodedClient> {
  const decoded = decodeClient(await readBodyBytes(req));
  assertStorable(decoded);
  return decoded;
}

async function mustGet(deps: Deps, id: string): Promise<StoredClient> {
  const client = await deps.clients.get(id);
  if (!client) throw HydraError.noRows();
  return client;
}

/**
 * client/handler.go CreateClient (admin): a chosen id and secret, else
 * generated ones; the secret is echoed once (never for public clients),
 * with a registration access token for the dynamic registration endpoints.
 */
async function createClient(deps: Deps, { req, res }: AdminRequest): Promise<void> {
  const decoded = await readClientBody(req);
  const secret = decoded.secret || generateHydraSecret();
  const data = await validateClient(validatorConfig(deps), { ...decoded, secret });
  const created = await storeNewClient(deps, decoded.id, secret, data);
  res.setHeader("location", `/admin/clients/${encodeURIComponent(created.client.id)}`);
  sendJson(
    res,
    201,
    clientToJson(created.client, {
      ...(data.token_endpoint_auth_method === "none" ? {} : { secret }),
      registrationAccessToken: created.registrationAccessToken,
      registrationClientUri: registrationClientUri(deps, created.client.id),
    }),
  );
}

async function updateClient(
  deps: Deps,
  existing: StoredClient,
  decoded: DecodedClient,
  res: AdminRequest["res"],
  keepRotated = true,
): Promise<void> {
  const data = await validateClient(validatorConfig(deps), decoded);
  const updated = await storeUpdatedClient(deps, existing, decoded, data, { clearRotated: !keepRotated });
  sendJson(res, 200, clientToJson(updated, decoded.secret ? { secret: decoded.secret } : {}));
}

async function listClients(deps: Deps, { url, res }: AdminRequest): Promise<void> {
  const page = parsePageRequest(url, (message) => HydraError.malformed(`Unable to parse pagination parameters: ${message}`));
  const clientName = url.searchParams.get("client_name");
  const owner = url.searchParams.get("owner");
  const result = await deps.clients.list({
    pageSize: page.size,
    after: page.after,
    ...(clientName ? { clientName } : {}),
    ...(owner ? { owner } : {}),
  });
  sendJson(
    res,
    200,
    result.clients.map((client) => clientToJson(client)),
    { link: linkHeader(url, page.size, result.nextAfter) },
  );
}

async function deleteClient(deps: Deps, { params, res }: AdminRequest): Promise<void> {
  const id = params.id ?? "";
  if (!(await deps.clients.delete(id))) throw HydraError.noRows();
  // A deleted client's grants and tokens must stop working at once.
  await deps.sessions.deleteConsentsOfClient(id);
  await deps.db.query("DELETE FROM oidc_payloads WHERE payload->>'clientId' = $1", [id]);
  res.writeHead(204).end();
}

/** Only clients authenticating with a secret rotate it (client/handler.go, herodot's bad request). */
function assertRotatable(client: StoredClient): void {
  const method = client.data.token_endpoint_auth_method || "client_secret_basic";
  if (method !== "client_secret_basic" && method !== "client_secret_post") {
    throw HydraError.malformed(
      `The client is configured to use the ${JSON.stringify(method)} authentication method, which does not support client secret rotation.`,
    );
  }
}

/** The document Hydra's PATCH applies to: json.Marshal of the client as GetConcreteClient loads it, its hashed secret included. */
function patchDocument(client: StoredClient): Record<string, unknown> {
  return clientToJson(client, client.secretHash ? { secret: client.secretHash } : {});
}

/**
 * ApplyJSONPatch's json.Unmarshal of the patched text into a client.Client:
 * its error is as bare as a failed patch (500); a document nested too deeply
 * for the node reader is refused as a body would be.
 */
const patchedUndecodable = (message: string) =>
  message === TOO_DEEP ? HydraError.badRequest("The request body is nested too deeply") : patchError();

/** time.Time's zero value as encoding/json writes it. */
const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

/**
 * client/handler.go patchOAuth2Client (v26.2.0): the patch on the client's
 * text (clients/json-patch.ts), json.Unmarshal into a client, the secret
 * kept unless the patch changed it, Validate, then the persister's
 * UpdateClient, which updates the row the patched client_id names.
 */
async function patchClient(deps: Deps, { req, params, res }: AdminRequest): Promise<void> {
  const body = await readBodyBytes(req);
  const existing = await mustGet(deps, params.id ?? "");
  const patched = decodeClient(patchClientText(JSON.stringify(patchDocument(existing)), body), patchedUndecodable);
  // "fix for #2869": the stored (hashed) secret patched back unchanged is no new secret.
  const decoded = patched.secret === (existing.secretHash ?? "") ? { ...patched, secret: "" } : patched;
  const data = await validateClient(validatorConfig(deps), decoded);
  // UpdateClient looks the row up by the patched client_id, after validation; that row keeps its own secret.
  const target = decoded.id === existing.id ? existing : await mustGet(deps, decoded.id);
  const updated = await storeUpdatedClient(deps, target, decoded, data, { clearRotated: Boolean(decoded.secret) });
  // Hydra writes the patched struct: its created_at is the patched one (pop's UpdateQuery leaves the column alone).
  const json = clientToJson(updated, decoded.secret ? { secret: decoded.secret } : {});
  sendJson(res, 200, { ...json, created_at: decoded.createdAt === undefined ? GO_ZERO_TIME : goTimeJson(decoded.createdAt) });
}

export function registerClientRoutes(router: AdminRouter, deps: Deps): void {
  router
    .add("POST", "/admin/clients", (request) => createClient(deps, request))
    .add("GET", "/admin/clients", (request) => listClients(deps, request))
    .add("GET", "/admin/clients/:id", async ({ params, res }) => {
      sendJson(res, 200, clientToJson(await mustGet(deps, params.id ?? "")));
    })
    .add("PUT", "/admin/clients/:id", async ({ req, params, res }) => {
      const decoded = await readClientBody(req);
      await updateClient(deps, await mustGet(deps, params.id ?? ""), decoded, res, !decoded.secret);
    })
    .add("PATCH", "/admin/clients/:id", (request) => patchClient(deps, request))
    // Hydra replaces all lifespans at once (unset ones fall back to ttl.*) and leaves every other field and the secret alone.
    .add("PUT", "/admin/clients/:id/lifespans", async ({ req, params, res }) => {
      const existing = await mustGet(deps, params.id ?? "");
      const lifespans = decodeLifespansBody(await readBodyBytes(req));
      const data: StoredClientData = { ...existing.data };
      for (const field of LIFESPAN_FIELDS) {
        const value = lifespans[field];
        if (value) data[field] = value;
        else delete data[field];
      }
      await updateClient(deps, existing, { id: existing.id, secret: "", hasMetadata: true, data }, res);
    })
    .add("DELETE", "/admin/clients/:id", (request) => deleteClient(deps, request))
    .add("POST", "/admin/clients/:id/secrets/rotate", async ({ params, res }) => {
      const existing = await mustGet(deps, params.id ?? "");
      assertRotatable(existing);
      // client/handler.go rotateOAuth2ClientSecret: the old secret keeps working (the five newest are kept).
      const rotated = [existing.secretHash, ...(existing.data.rotated_secrets ?? []).slice(0, 4)].filter((hash): hash is string =>
        Boolean(hash),
      );
      const secret = generateHydraSecret();
      const secretHash = await hashClientSecret(secret);
      const updated = await deps.clients.update(existing.id, secretHash, { ...existing.data, rotated_secrets: rotated });
      if (!updated) throw HydraError.noRows();
      sendJson(res, 200, clientToJson(updated, { secret }));
    })
    .add("DELETE", "/admin/clients/:id/secrets/rotate", async ({ params, res }) => {
      const existing = await mustGet(deps, params.id ?? "");
      assertRotatable(existing);
      const { rotated_secrets: _rotated, ...data } = existing.data;
      const updated = await deps.clients.update(existing.id, existing.secretHash, data);
      if (!updated) throw HydraError.noRows();
      sendJson(res, 200, clientToJson(updated));
    })
    .add("DELETE", "/admin/oauth2/tokens", async ({ url, res }) => {
      const clientId = url.searchParams.get("client_id");
      if (!clientId)
        throw new HydraError(
          400,
          "invalid_request",
          "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. Query parameter 'client_id' is not defined but it should have been.",
        );
      // Hydra's DeleteAccessTokens: the client's access tokens, not its refresh tokens.
      await deps.db.query("DELETE FROM oidc_payloads WHERE payload->>'clientId' = $1 AND model IN ('AccessToken', 'ClientCredentials')", [
        clientId,
      ]);
      res.writeHead(204).end();
    });
}
