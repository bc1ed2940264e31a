import type { Deps } from "../deps";
import { isSupportedHash } from "../hashing/hasher";
import { readJson } from "../http/body";
import type { HttpContext } from "../http/context";
import { errors, KratosError } from "../http/errors";
import type { Router } from "../http/router";
import type { Identity } from "../identity/identity";
import { TraitsValidationError, UnknownSchemaError } from "../identity/manager";
import { DuplicateIdentifierError, isUuid } from "../identity/repository";
import { adminIdentityJson } from "../session/json";
import { applyJsonPatch, JsonPatchError } from "./json-patch";
import { createIdentityBody, describeZodError, jsonPatchBody, updateIdentityBody, type CreateIdentityBody, type UpdateIdentityBody } from "./identity-body";
import { pageTokenCursor, parsePageSize, setLinkHeader } from "./pagination";

/** Admin identity CRUD (identity/handler.go). */
export function registerAdminIdentityRoutes(router: Router, deps: Deps): void {
  router.get("/admin/identities", async (ctx) => {
    const pageSize = parsePageSize(ctx.query);
    const after = pageTokenCursor(ctx.query);
    const credentialsIdentifier = ctx.query.get("credentials_identifier") ?? undefined;
    const ids = ctx.query.getAll("ids");
    const include = new Set(ctx.query.getAll("include_credential"));
    const rows = await deps.identityRepository.list({ pageSize: pageSize + 1, after, credentialsIdentifier, ids, withCredentials: true });
    const page = rows.slice(0, pageSize);
    const extra = new URLSearchParams();
    if (credentialsIdentifier) extra.set("credentials_identifier", credentialsIdentifier);
    setLinkHeader(ctx, "/admin/identities", pageSize, rows.length > pageSize ? page[page.length - 1]?.id : undefined, extra);
    ctx.json(200, page.map((i) => adminIdentityJson(deps, i, include)));
  });

  router.post("/admin/identities", async (ctx) => {
    const parsed = createIdentityBody.safeParse(await readJson(ctx));
    if (!parsed.success) throw errors.badRequest(describeZodError(parsed.error));
    const identity = await buildIdentity(deps, parsed.data);
    await persist(deps, identity, "create");
    ctx.json(201, adminIdentityJson(deps, identity), { Location: `${deps.config.adminBaseUrl}admin/identities/${identity.id}` });
  });

  router.get("/admin/identities/:id", async (ctx) => {
    const identity = await mustGet(deps, ctx);
    ctx.json(200, adminIdentityJson(deps, identity, new Set(ctx.query.getAll("include_credential"))));
  });

  router.put("/admin/identities/:id", async (ctx) => {
    const identity = await mustGet(deps, ctx);
    const parsed = updateIdentityBody.safeParse(await readJson(ctx));
    if (!parsed.success) throw errors.badRequest(describeZodError(parsed.error));
    await applyUpdate(deps, identity, parsed.data);
    await persist(deps, identity, "update");
    ctx.json(200, adminIdentityJson(deps, identity));
  });

  router.patch("/admin/identities/:id", async (ctx) => {
    const identity = await mustGet(deps, ctx);
    const parsed = jsonPatchBody.safeParse(await readJson(ctx));
    if (!parsed.success) throw errors.badRequest(describeZodError(parsed.error));
    for (const op of parsed.data) {
      if (/^\/(id|created_at|updated_at|schema_url|credentials\/(?!password\/config\/password$))/.test(op.path)) {
        throw errors.badRequest(`patch operation on "${op.path}" is not allowed`);
      }
    }
    const before = patchableDocument(identity);
    let patched: unknown;
    try {
      patched = applyJsonPatch(before, parsed.data);
    } catch (error) {
      if (error instanceof JsonPatchError) throw errors.badRequest(error.message);
      throw error;
    }
    const update = updateIdentityBody.extend({ schema_id: updateIdentityBody.shape.schema_id }).safeParse(patched);
    if (!update.success) throw errors.badRequest(describeZodError(update.error));
    await applyUpdate(deps, identity, update.data, { keepMissingMetadata: false });
    await persist(deps, identity, "update");
    ctx.json(200, adminIdentityJson(deps, identity));
  });

  router.delete("/admin/identities/:id", async (ctx) => {
    const id = ctx.params.id ?? "";
    if (!isUuid(id) || !(await deps.identityRepository.delete(id))) throw errors.notFound();
    ctx.noContent();
  });

  router.delete("/admin/identities/:id/credentials/:type", async (ctx) => {
    const identity = await mustGet(deps, ctx);
    const type = ctx.params.type ?? "";
    if (type === "password") throw errors.badRequest("You cannot remove first factor credentials.");
    if (!identity.credentials[type]) throw errors.notFound();
    delete identity.credentials[type];
    await persist(deps, identity, "update");
    ctx.noContent();
  });
}

async function mustGet(deps: Deps, ctx: HttpContext): Promise<Identity> {
  const identity = await deps.identityRepository.get(ctx.params.id ?? "", { withCredentials: true });
  if (!identity) throw errors.notFound();
  return identity;
}

async function passwordConfig(deps: Deps, config: { password?: string; hashed_password?: string } | undefined): Promise<Record<string, unknown> | undefined> {
  if (!config) return undefined;
  if (config.hashed_password !== undefined) {
    if (!isSupportedHash(config.hashed_password)) throw errors.badRequest("The hashed password format is not supported (bcrypt and argon2id are).");
    return { hashed_password: config.hashed_password };
  }
  if (config.password !== undefined) return { hashed_password: await deps.hasher.hash(config.password) };
  return undefined;
}

async function buildIdentity(deps: Deps, body: CreateIdentityBody): Promise<Identity> {
  const credentials: Record<string, { config: Record<string, unknown>; identifiers?: string[]; version?: number }> = {};
  const password = await passwordConfig(deps, body.credentials?.password?.config);
  if (password) credentials.password = { config: password, version: 1 };
  const oidc = body.credentials?.oidc?.config?.providers;
  if (oidc && oidc.length > 0) {
    credentials.oidc = { config: { providers: oidc }, identifiers: oidc.map((p) => `${p.provider}:${p.subject}`) };
  }
  try {
    const identity = deps.identities.build({
      schemaId: body.schema_id,
      traits: body.traits,
      state: body.state,
      metadataPublic: body.metadata_public,
      metadataAdmin: body.metadata_admin,
      externalId: body.external_id,
      organizationId: body.organization_id ?? null,
      credentials,
      verifiableAddresses: body.verifiable_addresses,
    });
    if (identity.credentials.password && identity.credentials.password.identifiers.length === 0) {
      throw errors.badRequest("Unable to find any login identifiers for the password credentials in the identity schema.");
    }
    return identity;
  } catch (error) {
    throw mapDomainError(error);
  }
}

async function applyUpdate(deps: Deps, identity: Identity, body: UpdateIdentityBody, _options: { keepMissingMetadata?: boolean } = {}): Promise<void> {
  try {
    deps.identities.setTraits(identity, body.traits, body.schema_id ?? identity.schemaId);
  } catch (error) {
    throw mapDomainError(error);
  }
  if (body.state && body.state !== identity.state) {
    identity.state = body.state;
    identity.stateChangedAt = new Date();
  }
  identity.metadataPublic = body.metadata_public ?? null;
  identity.metadataAdmin = body.metadata_admin ?? null;
  if (body.external_id !== undefined) identity.externalId = body.external_id;
  const password = await passwordConfig(deps, body.credentials?.password?.config);
  if (password) {
    deps.identities.setCredential(identity, {
      type: "password",
      identifiers: deps.identities.identifiersFor(identity.schemaId, identity.traits, "password"),
      config: password,
      version: 1,
    });
  }
}

/**
 * The part of an identity a JSON patch may touch (plus a write-only plaintext
 * password), shaped as Kratos marshals it: `metadata_public` is always there
 * (null when unset) but an unset `metadata_admin` is absent (omitempty), so a
 * `replace` or `test` on it fails there as in Kratos, and `add` is what sets it.
 */
function patchableDocument(identity: Identity): Record<string, unknown> {
  return {
    schema_id: identity.schemaId,
    traits: identity.traits,
    state: identity.state,
    metadata_public: identity.metadataPublic,
    ...(identity.metadataAdmin === null || identity.metadataAdmin === undefined ? {} : { metadata_admin: identity.metadataAdmin }),
    ...(identity.externalId ? { external_id: identity.externalId } : {}),
    credentials: { password: { config: {} } },
  };
}

async function persist(deps: Deps, identity: Identity, mode: "create" | "update"): Promise<void> {
  identity.availableAal = deps.aal.availableFor(identity);
  identity.updatedAt = new Date();
  try {
    if (mode === "create") await deps.identityRepository.create(identity);
    else await deps.identityRepository.update(identity);
  } catch (error) {
    throw mapDomainError(error);
  }
}

function mapDomainError(error: unknown): unknown {
  if (error instanceof KratosError) return error;
  if (error instanceof DuplicateIdentifierError) return errors.conflict("This identity conflicts with another identity that already exists.");
  if (error instanceof UnknownSchemaError) return errors.badRequest(error.message);
  if (error instanceof TraitsValidationError) {
    return new KratosError(400, { reason: `The identity's traits are invalid: ${error.message}` }).withDetail(
      "messages",
      error.fieldErrors.map((f) => ({ property: f.name, ...f.message })),
    );
  }
  return error;
}
