import { goQueryParams } from "@olympus/server-kit/go-url";
import { patchClientText, patchError } from "../clients/json-patch";
import { LIFESPAN_FIELDS } from "../clients/lifespans";
import { clientToJson, type StoredClient, type StoredClientData } from "../clients/model";
import { generateHydraSecret, registrationClientUri, storeNewClient, storeUpdatedClient, validatorConfig } from "../clients/service";
import { decodeClient, decodeLifespansBody, undecodableClientBody, validateClient, type DecodedClient } from "../clients/validator";
import type { Deps } from "../deps";
import { HydraError, sendJson } from "../errors";
import { readBodyBytes, readDecoderBody } from "../http";
import { assertStorable } from "../storable";
import { TOO_DEEP } from "./go-json";
import { linkHeader, parsePageRequest } from "./pagination";
import type { AdminRequest, AdminRouter } from "./router";

async function readClientBody(req: AdminRequest["req"]): Promise<DecodedClient> {
  const decoded = decodeClient(await readDecoderBody(req, undecodableClientBody));
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

/**
 * The client client/handler.go updateClient answers with: the stored one
 * after UpdateClient (clients/service.ts storeUpdatedClient), the secret the
 * request set, and the registration fields the decoded body carried.
 */
function updatedJson(updated: StoredClient, decoded: DecodedClient): Record<string, unknown> {
  return clientToJson(updated, {
    ...(decoded.secret ? { secret: decoded.secret } : {}),
    ...(decoded.registrationAccessToken ? { registrationAccessToken: decoded.registrationAccessToken } : {}),
    ...(decoded.registrationClientUri ? { registrationClientUri: decoded.registrationClientUri } : {}),
  });
}

/**
 * client/handler.go setOAuth2Client: the body decoded, Validate, then
 * UpdateClient, whose GetConcreteClient makes an unknown id a 404 only
 * after validation. The client is the decoded body: its registration access
 * token is gone.
 */
async function replaceClient(deps: Deps, { req, params, res }: AdminRequest): Promise<void> {
  const decoded = await readClientBody(req);
  const data = await validateClient(validatorConfig(deps), decoded);
  const existing = await mustGet(deps, params.id ?? "");
  const updated = await storeUpdatedClient(deps, existing, decoded, data);
  sendJson(res, 200, updatedJson(updated, decoded));
}

/**
 * client/handler.go setOAuth2ClientLifespans: the stored client (its
 * created_at and registration access token kept) with all lifespans
 * replaced (unset ones fall back to ttl.*), no new secret, re-validated.
 */
async function setLifespans(deps: Deps, { req, params, res }: AdminRequest): Promise<void> {
  const existing = await mustGet(deps, params.id ?? "");
  const lifespans = decodeLifespansBody(await readDecoderBody(req, undecodableClientBody));
  const data: StoredClientData = { ...existing.data };
  for (const field of LIFESPAN_FIELDS) {
    const value = lifespans[field];
    if (value) data[field] = value;
    else delete data[field];
  }
  const decoded: DecodedClient = { id: existing.id, secret: "", hasMetadata: true, data, createdAt: existing.createdAt };
  const validated = await validateClient(validatorConfig(deps), decoded);
  const registrationTokenHash = existing.data.registration_access_token_hash;
  const updated = await storeUpdatedClient(deps, existing, decoded, validated, registrationTokenHash ? { registrationTokenHash } : {});
  sendJson(res, 200, updatedJson(updated, decoded));
}

async function listClients(deps: Deps, { url, res }: AdminRequest): Promise<void> {
  const page = parsePageRequest(url, (message) => HydraError.malformed(`Unable to parse pagination parameters: ${message}`));
  // client/handler.go listOAuth2Clients: r.URL.Query().Get, Go's parsing (a pair with a `;` or a bad escape is not there).
  const query = goQueryParams(url.search);
  const clientName = query.get("client_name");
  const owner = query.get("owner");
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
  const updated = await storeUpdatedClient(deps, target, decoded, data);
  sendJson(res, 200, updatedJson(updated, decoded));
}

export function registerClientRoutes(router: AdminRouter, deps: Deps): void {
  router
    .add("POST", "/admin/clients", (request) => createClient(deps, request))
    .add("GET", "/admin/clients", (request) => listClients(deps, request))
    .add("GET", "/admin/clients/:id", async ({ params, res }) => {
      sendJson(res, 200, clientToJson(await mustGet(deps, params.id ?? "")));
    })
    .add("PUT", "/admin/clients/:id", (request) => replaceClient(deps, request))
    .add("PATCH", "/admin/clients/:id", (request) => patchClient(deps, request))
    .add("PUT", "/admin/clients/:id/lifespans", (request) => setLifespans(deps, request))
    .add("DELETE", "/admin/clients/:id", (request) => deleteClient(deps, request))
    .add("DELETE", "/admin/oauth2/tokens", async ({ url, res }) => {
      // oauth2/handler.go deleteOAuth2Token: r.URL.Query().Get("client_id").
      const clientId = goQueryParams(url.search).get("client_id");
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
