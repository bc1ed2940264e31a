import { applyRawPatch, decodeRawPatch, JsonPatchError } from "@olympus/server-kit/json-patch";
import { GoValueTooDeepError, readGoNode } from "@olympus/server-kit/go-json";
import { HydraError } from "../errors";
import { assertStorable } from "../storable";

/**
 * client/handler.go patchOAuth2Client (v26.2.0): ApplyJSONPatch(patchJSON,
 * client, "/id") — the only denied path, as a glob over the lower-cased
 * path.
 */
const CLIENT_DENIED_PATHS: readonly RegExp[] = [/^\/id$/];

/**
 * Hydra answers a patch it cannot decode or apply with the error of ory/x
 * jsonx ApplyJSONPatch — a bare error, so herodot's WriteError makes it a
 * 500 (ToDefaultError) and Hydra's error enhancer cannot name it. The same
 * here: a 500 for a caller's mistake, because that is what Hydra answers.
 */
export function patchError(): HydraError {
  return new HydraError(500, "error", "The error is unrecognizable");
}

const tooDeep = () => HydraError.badRequest("The request body is nested too deeply");

/**
 * ApplyJSONPatch up to json.Unmarshal: the body decoded as
 * evanphx/json-patch v5.9.11 DecodePatch does, applied on the client's JSON
 * text (its json.Marshal) with EnsurePathExistsOnAdd; answers json-patch's
 * output text. Strings that cannot be stored and bodies (or patched
 * documents) nested deeper than the node reader follows are refused with a
 * 400, as every other body here.
 */
export function patchClientText(documentText: string, body: Uint8Array): string {
  try {
    const operations = decodeRawPatch(body, { deniedPaths: CLIENT_DENIED_PATHS, inspect: assertStorable });
    const document = Buffer.from(documentText, "utf8");
    return applyRawPatch(readGoNode(document, document.length), operations);
  } catch (error) {
    if (error instanceof JsonPatchError) throw patchError();
    if (error instanceof GoValueTooDeepError) throw tooDeep();
    throw error;
  }
}
