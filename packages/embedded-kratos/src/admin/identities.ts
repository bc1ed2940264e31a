import type { Deps } from "../deps";
import { assertStorableJsonText, BodyReadError, BodyTooLargeError, readErrorText, readRawBody } from "../http/body";
import { readFirstJsonValue } from "../http/first-json-value";
import type { HttpContext } from "../http/context";
import { KratosError } from "../http/errors";
import type { Router } from "../http/router";
import type { Identity } from "../identity/identity";
import { parseUuid } from "@olympus/server-kit/go-json";
import { DuplicateIdentifierError } from "../identity/repository";
import { adminIdentityJson } from "../session/json";
import { deleteCredential } from "./credential-delete";
import { adminErrors } from "./errors";
import { goQuery } from "./go-query";
import { GoJsonError } from "./go-json";
import { batchPatchIdentities } from "./identity-batch";
import { decodeAdminBody, decodeHttpJson } from "./http-json";
import { parseCreateIdentityBody, updateBody, type UpdateIdentityBody } from "./identity-body";
import {
  draftFromCreateBody,
  identityFromDraft,
  importCredentials,
  keepBodyTexts,
  mapCreateError,
  parseState,
  uniqueViolation,
  validatedTraits,
  type CredentialDraft,
} from "./identity-import";
import { CREDENTIAL_TYPES, listIdentities } from "./identity-list";
import { applyIdentityPatch } from "./identity-patch";
import { now as timeNow, nowMicroseconds } from "../clock/clock";

/** Admin identity endpoints (identity/handler.go). */
export function registerAdminIdentityRoutes(router: Router, deps: Deps): void {
  router.get("/admin/identities", (ctx) => listIdentities(deps, ctx));

  router.post("/admin/identities", async (ctx) => {
    const body = await decodeStrict(ctx, parseCreateIdentityBody);
    const identity = await identityFromDraft(deps, await draftFromCreateBody(deps, body));
    try {
      await deps.identityRepository.create(identity);
    } catch (error) {
      throw mapCreateError(error);
    }
    ctx.json(201, omitAbsentMetadataAdmin(adminIdentityJson(deps, identity), body.metadata_admin), {
      Location: `${deps.config.adminBaseUrl}admin/identities/${identity.id}`,
    });
  });

  router.patch("/admin/identities", (ctx) => batchPatchIdentities(deps, ctx));

  router.get("/admin/identities/by/external/:externalId", async (ctx) => {
    const externalId = ctx.params.externalId ?? "";
    if (externalId === "") throw adminErrors.badRequest("The external ID must not be empty.");
    const identity = await deps.identityRepository.getByExternalId(externalId, { withCredentials: true });
    if (!identity) throw adminErrors.noRows();
    ctx.json(200, adminIdentityJson(deps, identity, declassified(ctx)));
  });

  router.get("/admin/identities/:id", async (ctx) => {
    const identity = await mustGet(deps, ctx);
    ctx.json(200, adminIdentityJson(deps, identity, declassified(ctx)));
  });

  router.put("/admin/identities/:id", async (ctx) => {
    // The decoder checked the body against UpdateIdentityBody's description.
    const body = (await decodeHttpJson(ctx, updateBody)) as UpdateIdentityBody;
    const identity = await mustGet(deps, ctx);
    await applyUpdate(deps, identity, body);
    await persistUpdate(deps, identity);
    ctx.json(200, omitAbsentMetadataAdmin(adminIdentityJson(deps, identity), body.metadata_admin));
  });

  router.patch("/admin/identities/:id", async (ctx) => {
    const body = await readRawBody(ctx);
    // patch: the identity is looked up (404) before the body is read as a patch.
    const identity = await mustGet(deps, ctx);
    assertStorableJsonText(body.toString("utf8"));
    const outcome = await applyIdentityPatch(deps, identity, body);
    await persistUpdate(deps, identity, { writeCreatedAt: outcome.createdAtChanged });
    const json = omitAbsentMetadataAdmin(adminIdentityJson(deps, identity), outcome.metadataAdmin);
    ctx.json(200, { ...json, ...outcome.answerTimes, schema_url: outcome.schemaUrl });
  });

  router.delete("/admin/identities/:id", async (ctx) => {
    if (!(await deps.identityRepository.delete(identityPathId(ctx)))) throw adminErrors.noRows();
    ctx.noContent();
  });

  router.delete("/admin/identities/:id/credentials/:type", async (ctx) => {
    const identity = await mustGet(deps, ctx);
    deleteCredential(identity, ctx.params.type ?? "", ctx.query.get("identifier") ?? "", deps.config);
    // The manager validates the whole identity again before it is stored; its schema extension gives a
    // removed webauthn credential back, empty, when the schema names a webauthn identifier.
    await validatedTraits(deps, identity.schemaId, identity.traits);
    deps.identities.deriveFromTraits(identity);
    await persistUpdate(deps, identity);
    ctx.noContent();
  });
}

/**
 * Identity.MetadataAdmin is a NullJSONRawMessage tagged `omitempty`
 * (identity/identity.go): the create, update and patch handlers answer with
 * the struct they filled, so a body without `metadata_admin` (an explicit
 * `null` is kept as the text "null") leaves it empty and the key out. Reads
 * come from the database, where NULL scans as "null".
 */
function omitAbsentMetadataAdmin(json: Record<string, unknown>, given: unknown): Record<string, unknown> {
  if (given !== undefined) return json;
  const { metadata_admin: _omitted, ...rest } = json;
  return rest;
}

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * x.ParseUUID (uuid.FromStringOrNil) of the `{id}` path parameter: every
 * form FromString accepts names the identity (braces, `urn:uuid:`, 32
 * digits, any case); anything else is the nil UUID, which names none.
 */
const identityPathId = (ctx: HttpContext): string => parseUuid(ctx.params.id ?? "") ?? NIL_UUID;

/** GetIdentityConfidential(x.ParseUUID(id)): a missing identity is sqlcon.ErrNoRows, 404. */
async function mustGet(deps: Deps, ctx: HttpContext): Promise<Identity> {
  const identity = await deps.identityRepository.get(identityPathId(ctx), { withCredentials: true });
  if (!identity) throw adminErrors.noRows();
  return identity;
}

/**
 * `include_credential` of the single-identity endpoints. Kratos' message
 * prints the types accepted so far (a Go slice), not the refused value.
 */
function declassified(ctx: HttpContext): Set<string> {
  const accepted: string[] = [];
  for (const v of goQuery(ctx).getAll("include_credential")) {
    if (!CREDENTIAL_TYPES.has(v))
      throw adminErrors.badRequest(`Invalid value \`[${accepted.join(" ")}]\` for parameter \`include_credential\`.`);
    accepted.push(v);
  }
  return new Set(accepted);
}

/**
 * jsonx.NewStrictDecoder(r.Body).Decode: unknown fields refused; errors as
 * herodot.ErrBadRequest.WithError — the read's own error too (past the cap
 * `http: request body too large`, a late body `read tcp …: i/o timeout`),
 * met only while the first value is still open (first-json-value.ts).
 */
async function decodeStrict<T>(ctx: HttpContext, parse: (body: Buffer) => T): Promise<T> {
  let raw: Buffer;
  try {
    raw = await readFirstJsonValue(ctx);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw adminErrors.badRequestMessage(readErrorText(error));
    // The late body's read cancelled the request's context: herodot answers 499 (BodyReadError).
    if (error instanceof BodyReadError) throw adminErrors.badRequestMessage(error.readError).answerOnCancelledRequest();
    throw error;
  }
  try {
    // As every other JSON body: text Postgres cannot store is a 400 here, not a 500 in the middle of the write.
    return decodeAdminBody(raw, parse);
  } catch (error) {
    if (error instanceof GoJsonError) throw adminErrors.badRequestMessage(error.message);
    throw error;
  }
}

/**
 * The update handler: the body replaces traits, metadata and external_id
 * (absent means cleared), keeps schema_id and state unless given, and
 * imports credentials next to the existing ones (a password replaces the
 * old one, OIDC/SAML connections are added). In update's order: the
 * state, then importCredentials (a hash no comparator knows is its 400),
 * then IdentityManager.Update's validation of schema and traits.
 */
async function applyUpdate(deps: Deps, identity: Identity, body: UpdateIdentityBody): Promise<void> {
  const state = parseStateChange(identity, body.state);
  const drafts: Record<string, CredentialDraft> = Object.fromEntries(
    Object.values(identity.credentials).map((c) => [c.type, { config: c.config, identifiers: c.identifiers, version: c.version }]),
  );
  if (body.credentials) await importCredentials(deps, drafts, body.credentials);
  const { schemaId, traits } = await validatedTraits(deps, body.schema_id || identity.schemaId, body.traits?.value);
  if (state !== identity.state) {
    identity.state = state;
    identity.stateChangedAt = timeNow();
  }
  identity.schemaId = schemaId;
  identity.traits = traits;
  identity.metadataPublic = body.metadata_public?.value ?? null;
  identity.metadataAdmin = body.metadata_admin?.value ?? null;
  keepBodyTexts(identity, body);
  identity.externalId = body.external_id || null;
  if (body.credentials) {
    for (const type of ["password", "oidc", "saml"] as const) {
      const draft = drafts[type];
      if (draft && body.credentials[type])
        deps.identities.setCredential(identity, {
          type,
          identifiers: draft.identifiers ?? [],
          config: draft.config,
          version: draft.version ?? 0,
        });
    }
  }
  deps.identities.deriveFromTraits(identity);
  identity.updatedAt = nowMicroseconds();
}

/** Only a state different from the stored one is checked (identity.State.IsValid). */
function parseStateChange(identity: Identity, state: string | undefined): Identity["state"] {
  if (state === undefined || state === "" || state === identity.state) return identity.state;
  return parseState(state, identity.state);
}

async function persistUpdate(deps: Deps, identity: Identity, options: { writeCreatedAt?: boolean } = {}): Promise<void> {
  identity.availableAal = deps.aal.availableFor(identity);
  try {
    await deps.identityRepository.update(identity, options);
  } catch (error) {
    if (error instanceof DuplicateIdentifierError) throw uniqueViolation();
    if (error instanceof KratosError) throw error;
    throw error;
  }
}
