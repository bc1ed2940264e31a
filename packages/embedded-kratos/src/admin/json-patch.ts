import { JsonPatchError, parsePatchValue, type PatchOperation } from "@olympus/server-kit/json-patch";
import { assertStorable } from "../http/body";
import { errors } from "../http/errors";
import { GoSyntaxError, scanGoJson } from "./go-scanner";
import { GoValueTooDeepError, rawNodeValue, readGoNode } from "./go-value";

/**
 * JSON Patch on identities: the kit's ApplyJSONPatch (oryx/jsonx/patch.go)
 * with the paths Kratos' identity handler denies.
 */
export { applyJsonPatch, JsonPatchError, parsePatch, type PatchJson, type PatchOperation } from "@olympus/server-kit/json-patch";

/** glob.Compile("{/id,/statechangedat,/credentials,/credentials/oidc/**}", '/') as Kratos' patch handler denies them. */
export const IDENTITY_DENIED_PATHS: readonly RegExp[] = [/^\/id$/, /^\/statechangedat$/, /^\/credentials$/, /^\/credentials\/oidc\/.*$/];

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * evanphx/json-patch v5 DecodePatch of the request body's bytes: anything
 * json.Valid refuses is ErrInvalid ("invalid state detected"); otherwise
 * each operation is a map of json.RawMessage, so a `value` keeps its
 * numbers' text (`2.50`, `1e2`) into the patched document, here as
 * JSON.rawJSON values. Bytes that are not UTF-8 and NUL are refused (400)
 * as in every other body; bodies nested deeper than the node reader follows
 * too.
 */
export function parseIdentityPatch(body: Uint8Array): PatchOperation[] {
  let end: number;
  try {
    end = scanGoJson(body, "unmarshal");
  } catch (error) {
    if (error instanceof GoSyntaxError) throw new JsonPatchError("invalid state detected");
    throw error;
  }
  for (let i = end; i < body.length; i++) if (!isSpace(body[i])) throw new JsonPatchError("invalid state detected");
  let parsed: unknown;
  try {
    parsed = rawNodeValue(readGoNode(body, end), true);
  } catch (error) {
    if (error instanceof GoValueTooDeepError) throw errors.badRequest("The request body is nested too deeply.");
    throw error;
  }
  assertStorable(parsed);
  return parsePatchValue(parsed, IDENTITY_DENIED_PATHS);
}
