import { applyJsonPatch, JsonPatchError, parsePatch, type PatchJson } from "@olympus/server-kit/json-patch";
import { HydraError } from "../errors";

/**
 * client/handler.go patchOAuth2Client: ApplyJSONPatch(patch, client, "/id",
 * "/RotatedSecrets", "rotated_secrets"), as globs over the lower-cased path
 * (the last, without a leading slash, can never match a JSON pointer).
 */
const CLIENT_DENIED_PATHS: readonly RegExp[] = [/^\/id$/, /^\/rotatedsecrets$/, /^rotated_secrets$/];

/**
 * Hydra answers a patch it cannot decode or apply with the error of ory/x
 * jsonx ApplyJSONPatch — a bare error, so herodot's WriteError makes it a
 * 500 (ToDefaultError) and Hydra's error enhancer cannot name it. The same
 * here: a 500 for a caller's mistake, because that is what Hydra answers.
 */
export function patchError(): HydraError {
  return new HydraError(500, "error", "The error is unrecognizable");
}

/** Applies a client JSON Patch (the request body's text) to a copy of the client's JSON document. */
export function patchClientDocument(document: Record<string, unknown>, patchText: string): Record<string, unknown> {
  let patched: PatchJson;
  try {
    patched = applyJsonPatch(document as PatchJson, parsePatch(patchText, CLIENT_DENIED_PATHS));
  } catch (error) {
    if (error instanceof JsonPatchError) throw patchError();
    throw error;
  }
  // Go unmarshals the patched JSON into a client: anything but an object cannot be one.
  if (typeof patched !== "object" || patched === null || Array.isArray(patched)) throw patchError();
  return patched;
}
