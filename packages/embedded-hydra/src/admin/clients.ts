import { randomUUID } from "node:crypto";
import type { ZodError } from "zod";
import { clientInputSchema, clientToJson, toProviderMetadata, type StoredClient } from "../clients/model";
import { applyJsonPatch, jsonPatchSchema } from "../clients/json-patch";
import { LIFESPAN_FIELDS, lifespansSchema } from "../clients/lifespans";
import { generateClientSecret, hashClientSecret, MIN_CLIENT_SECRET_LENGTH } from "../clients/secret-hash";
import type { HydraContext } from "../context";
import { HydraError, sendJson } from "../errors";
import { readJson } from "../http";
import { ClientConflictError } from "../storage/clients-repo";
import type { AdminRequest, AdminRouter } from "./router";

const DEFAULT_PAGE_SIZE = 250;
const MAX_PAGE_SIZE = 500;

function invalidMetadata(description: string): HydraError {
  return new HydraError(400, "invalid_client_metadata", description);
}

function describeZod(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "client"}: ${issue.message}`).join("; ");
}

/**
 * Validates a Hydra client body, settles its secret (kept, replaced or
 * generated) and checks that oidc-provider accepts the resulting metadata.
 * Returns what to store plus the plaintext secret to show, if a new one was set.
 */
async function prepareClient(hctx: HydraContext, body: unknown, id: string, existingHash: string | null) {
  const parsed = clientInputSchema.safeParse(body);
  if (!parsed.success) throw invalidMetadata(describeZod(parsed.error));
  const { client_id: _ignored, client_secret: requestedSecret, ...data } = parsed.data;
  if (data.frontchannel_logout_uri) {
    // Kept so the client round-trips, but oidc-provider 9 has no front-channel logout (README, "Known differences").
    hctx.logger.log("warn", "frontchannel_logout_uri is stored but front-channel logout is not supported; use backchannel_logout_uri", { client_id: id });
  }
  const isPublic = data.token_endpoint_auth_method === "none";
  let secretHash: string | null = null;
  let shownSecret: string | undefined;
  if (isPublic) {
    if (requestedSecret) throw invalidMetadata('a client with token_endpoint_auth_method "none" must not have a client_secret');
  } else if (requestedSecret) {
    if (requestedSecret.length < MIN_CLIENT_SECRET_LENGTH) {
      throw invalidMetadata(`client_secret must be at least ${MIN_CLIENT_SECRET_LENGTH} characters long`);
    }
    secretHash = await hashClientSecret(requestedSecret);
    shownSecret = requestedSecret;
  } else if (existingHash) {
    secretHash = existingHash;
  } else {
    shownSecret = generateClientSecret();
    secretHash = await hashClientSecret(shownSecret);
  }
  const candidate: StoredClient = { id, secretHash, data, createdAt: new Date(), updatedAt: new Date() };
  try {
    await hctx.provider().Client.validate(toProviderMetadata(candidate));
  } catch (error) {
    const described = error as { error_description?: string; message?: string };
    throw invalidMetadata(described.error_description ?? described.message ?? "the client metadata is invalid");
  }
  return { secretHash, data, shownSecret };
}

async function mustGet(hctx: HydraContext, id: string): Promise<StoredClient> {
  const client = await hctx.clients.get(id);
  if (!client) throw HydraError.notFound("The requested OAuth 2.0 Client does not exist.");
  return client;
}

/** Client bodies are JSON objects; anything else is a 400, never a property read on null. */
function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw HydraError.badRequest("The request body must be a JSON object");
  return body as Record<string, unknown>;
}

async function createClient(hctx: HydraContext, { req, res }: AdminRequest): Promise<void> {
  const body = objectBody(await readJson(req));
  const requestedId = body.client_id;
  const id = typeof requestedId === "string" && requestedId ? requestedId : randomUUID();
  const prepared = await prepareClient(hctx, body, id, null);
  try {
    const created = await hctx.clients.create(id, prepared.secretHash, prepared.data);
    sendJson(res, 201, clientToJson(created, prepared.shownSecret));
  } catch (error) {
    if (error instanceof ClientConflictError) throw new HydraError(409, "conflict", error.message);
    throw error;
  }
}

async function replaceClient(hctx: HydraContext, id: string, input: unknown, res: AdminRequest["res"]): Promise<void> {
  const body = objectBody(input);
  const existing = await mustGet(hctx, id);
  const bodyId = body.client_id;
  if (bodyId !== undefined && bodyId !== id) throw HydraError.badRequest("client_id in the body does not match the path");
  const prepared = await prepareClient(hctx, body, id, existing.secretHash);
  const updated = await hctx.clients.update(id, prepared.secretHash, prepared.data);
  if (!updated) throw HydraError.notFound("The requested OAuth 2.0 Client does not exist.");
  sendJson(res, 200, clientToJson(updated, prepared.shownSecret));
}

async function listClients(hctx: HydraContext, { url, res }: AdminRequest): Promise<void> {
  const sizeText = url.searchParams.get("page_size");
  const pageSize = sizeText === null ? DEFAULT_PAGE_SIZE : Number(sizeText);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw HydraError.badRequest(`page_size must be an integer between 1 and ${MAX_PAGE_SIZE}`);
  }
  const pageToken = url.searchParams.get("page_token") ?? undefined;
  const page = await hctx.clients.list({
    pageSize,
    ...(pageToken ? { pageToken } : {}),
    ...(url.searchParams.get("client_name") ? { clientName: url.searchParams.get("client_name") ?? "" } : {}),
    ...(url.searchParams.get("owner") ? { owner: url.searchParams.get("owner") ?? "" } : {}),
  });
  const link = (token?: string) => {
    const target = new URL(url.pathname, "http://placeholder");
    target.searchParams.set("page_size", String(pageSize));
    if (token) target.searchParams.set("page_token", token);
    return `<${target.pathname}${target.search}>`;
  };
  const links = [`${link()}; rel="first"`];
  if (page.nextToken) links.push(`${link(page.nextToken)}; rel="next"`);
  sendJson(res, 200, page.clients.map((client) => clientToJson(client)), { link: links.join(",") });
}

async function deleteClient(hctx: HydraContext, { params, res }: AdminRequest): Promise<void> {
  const id = params.id ?? "";
  if (!(await hctx.clients.delete(id))) throw HydraError.notFound("The requested OAuth 2.0 Client does not exist.");
  // A deleted client's grants and tokens must stop working at once.
  await hctx.sessions.deleteConsentsOfClient(id);
  await hctx.db.query("DELETE FROM oidc_payloads WHERE payload->>'clientId' = $1", [id]);
  res.writeHead(204).end();
}

export function registerClientRoutes(router: AdminRouter, hctx: HydraContext): void {
  router
    .add("POST", "/admin/clients", (request) => createClient(hctx, request))
    .add("GET", "/admin/clients", (request) => listClients(hctx, request))
    .add("GET", "/admin/clients/:id", async ({ params, res }) => {
      sendJson(res, 200, clientToJson(await mustGet(hctx, params.id ?? "")));
    })
    .add("PUT", "/admin/clients/:id", async ({ req, params, res }) => replaceClient(hctx, params.id ?? "", await readJson(req), res))
    .add("PATCH", "/admin/clients/:id", async ({ req, params, res }) => {
      const patch = jsonPatchSchema.safeParse(await readJson(req));
      if (!patch.success) throw HydraError.badRequest(`invalid JSON patch: ${describeZod(patch.error)}`);
      const existing = await mustGet(hctx, params.id ?? "");
      const { created_at: _c, updated_at: _u, ...current } = clientToJson(existing);
      await replaceClient(hctx, existing.id, applyJsonPatch(current, patch.data), res);
    })
    // Hydra replaces all lifespans at once (unset ones fall back to ttl.*) and leaves every other field and the secret alone.
    .add("PUT", "/admin/clients/:id/lifespans", async ({ req, params, res }) => {
      const lifespans = lifespansSchema.safeParse(objectBody(await readJson(req)));
      if (!lifespans.success) throw invalidMetadata(describeZod(lifespans.error));
      const existing = await mustGet(hctx, params.id ?? "");
      const { created_at: _c, updated_at: _u, ...current } = clientToJson(existing);
      for (const field of LIFESPAN_FIELDS) delete current[field];
      await replaceClient(hctx, existing.id, { ...current, ...lifespans.data }, res);
    })
    .add("DELETE", "/admin/clients/:id", (request) => deleteClient(hctx, request))
    .add("DELETE", "/admin/oauth2/tokens", async ({ url, res }) => {
      const clientId = url.searchParams.get("client_id");
      if (!clientId) throw HydraError.badRequest('The query parameter "client_id" is required');
      await hctx.db.query("DELETE FROM oidc_payloads WHERE payload->>'clientId' = $1 AND model IN ('AccessToken', 'RefreshToken', 'ClientCredentials')", [clientId]);
      res.writeHead(204).end();
    });
}
