import { decodeRawPatch, type RawPatchOperation } from "@olympus/server-kit/json-patch";
import { GoValueTooDeepError } from "@olympus/server-kit/go-json";
import { assertStorable } from "../http/body";
import { errors } from "../http/errors";

/**
 * JSON Patch on identities (oryx/jsonx/patch.go ApplyJSONPatch): the kit's
 * decoding and checks of the operations with the paths Kratos' identity
 * handler denies, each operation's value kept as the text the body wrote
 * (the kit's applyRawPatch applies them on the identity's text).
 */
export { applyRawPatch, JsonPatchError, type RawPatchOperation } from "@olympus/server-kit/json-patch";

/** glob.Compile("{/id,/statechangedat,/credentials,/credentials/oidc/**}", '/') as Kratos' patch handler denies them. */
export const IDENTITY_DENIED_PATHS: readonly RegExp[] = [/^\/id$/, /^\/statechangedat$/, /^\/credentials$/, /^\/credentials\/oidc\/.*$/];

/**
 * evanphx/json-patch v5 DecodePatch of the request body's bytes (the kit's
 * decodeRawPatch). Bytes that are not UTF-8 and NUL are refused (400) as in
 * every other body; bodies nested deeper than the node reader follows too.
 */
export function parseIdentityPatch(body: Uint8Array): RawPatchOperation[] {
  try {
    return decodeRawPatch(body, { deniedPaths: IDENTITY_DENIED_PATHS, inspect: assertStorable });
  } catch (error) {
    if (error instanceof GoValueTooDeepError) throw errors.badRequest("The request body is nested too deeply.");
    throw error;
  }
}
