import type { Deps } from "../deps";
import { BodyReadError, BodyTooLargeError, readErrorText } from "../http/body";
import { readFirstJsonValue } from "../http/first-json-value";
import type { HttpContext } from "../http/context";
import { KratosError } from "../http/errors";
import { DuplicateIdentifierError } from "../identity/repository";
import { SchemaCompileError, SchemaLoadError } from "../identity/refetched-schemas";
import { adminErrors, herodotJson, respondPlainErrorAt400 } from "./errors";
import { GoJsonError } from "./go-json";
import { decodeAdminBody } from "./http-json";
import { parseBatchPatchBody, type CreateIdentityBody } from "./identity-body";
import { checkCreateBody, draftFromCreateBody, identityFromDraft } from "./identity-import";

/** identity/handler.go: BatchPatchIdentitiesLimit and BatchPatchIdentitiesWithPasswordLimit. */
export const BATCH_PATCH_LIMIT = 1000;
export const BATCH_PATCH_PLAINTEXT_PASSWORD_LIMIT = 200;

type PatchResult = { action: "create" | "error"; identity?: string; patch_id?: string; error?: Record<string, unknown> } | null;

/**
 * PATCH /admin/identities (identity/handler.go batchPatchIdentities, with
 * identity/manager.go CreateIdentities and the persister's partial inserts):
 * every `create` is checked first (a bad state or password hash fails the
 * whole request), then each identity is validated on its own — an invalid
 * one gets a 400 error entry — and the valid ones are stored in one
 * transaction: one that conflicts with a stored identity (or an earlier one
 * of the batch) gets a 409 entry, the others are created, and a database
 * failure creates none. The answer is 200 with one entry per patch, in order
 * (`null` for a patch without `create`).
 */
export async function batchPatchIdentities(deps: Deps, ctx: HttpContext): Promise<void> {
  let body;
  try {
    // jsonx.NewStrictDecoder(r.Body).Decode: the first value, whatever follows it (first-json-value.ts).
    body = decodeAdminBody(await readFirstJsonValue(ctx), parseBatchPatchBody);
  } catch (error) {
    if (error instanceof GoJsonError) return respondPlainErrorAt400(ctx, error.message);
    // The strict decoder's read failing (past the cap, a late body): WriteErrorCode(400, that error) as any decoding error.
    if (error instanceof BodyTooLargeError) return respondPlainErrorAt400(ctx, readErrorText(error));
    // A late body's read cancelled the request's context: herodot's writer answers 499 instead (BodyReadError).
    if (error instanceof BodyReadError) return ctx.error(error);
    throw error;
  }
  const patches = body.identities ?? [];
  if (patches.length > BATCH_PATCH_LIMIT) {
    throw adminErrors.badRequest(
      `The maximum number of identities per request that can be created or deleted at once is ${BATCH_PATCH_LIMIT}.`,
    );
  }

  // Everything that fails the whole request is checked before any password is hashed.
  const creates = patches.map((p) => p?.create).filter((c): c is CreateIdentityBody => c !== undefined);
  for (const create of creates) checkCreateBody(deps, create);
  const plaintext = creates.filter((c) => (c.credentials?.password?.config?.password ?? "") !== "").length;
  if (plaintext > BATCH_PATCH_PLAINTEXT_PASSWORD_LIMIT) {
    throw adminErrors.badRequest(
      `The maximum number of identities per request that can be created with a plaintext password is ${BATCH_PATCH_PLAINTEXT_PASSWORD_LIMIT}.`,
    );
  }

  // Each identity is built and validated on its own; the valid ones are stored together.
  const built = await Promise.all(
    patches.map(async (patch) => {
      if (!patch?.create) return null;
      try {
        return { patch, identity: await identityFromDraft(deps, await draftFromCreateBody(deps, patch.create)) };
      } catch (error) {
        return { patch, error: itemError(error) };
      }
    }),
  );
  const valid = built.flatMap((b) => (b?.identity ? [b.identity] : []));
  const conflicting = valid.length > 0 ? await deps.identityRepository.createMany(valid) : new Set<string>();

  const results: PatchResult[] = built.map((b) => {
    if (!b) return null;
    const patchId = b.patch.patch_id !== undefined ? { patch_id: b.patch.patch_id } : {};
    const error = b.identity && conflicting.has(b.identity.id) ? itemError(new DuplicateIdentifierError("conflict")) : b.error;
    if (error) return { action: "error", ...(b.patch.patch_id ? { patch_id: b.patch.patch_id } : {}), error: herodotJson(error) };
    return { action: "create", identity: b.identity?.id, ...patchId };
  });
  ctx.json(200, { identities: results });
}

/** The error entry of one identity: validation failures are 400 with their reason, conflicts sqlcon's 409. */
function itemError(error: unknown): KratosError {
  if (error instanceof DuplicateIdentifierError) {
    return new KratosError(409, { message: "Unable to insert or update resource because a resource with that value exists already" });
  }
  if (error instanceof KratosError && error.code === 400) return adminErrors.badRequest(error.reason ?? error.message);
  // manager.go CreateIdentities: any ValidateIdentity failure is the item's 400 with the error's reason (a schema that does not load or compile too).
  if (error instanceof SchemaCompileError || error instanceof SchemaLoadError) return adminErrors.badRequest(error.reason ?? error.message);
  throw error;
}
