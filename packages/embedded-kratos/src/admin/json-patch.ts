/**
 * JSON Patch on identities: the kit's ApplyJSONPatch (oryx/jsonx/patch.go)
 * with the paths Kratos' identity handler denies.
 */
export { applyJsonPatch, JsonPatchError, parsePatch, type PatchJson, type PatchOperation } from "@olympus/server-kit/json-patch";

/** glob.Compile("{/id,/statechangedat,/credentials,/credentials/oidc/**}", '/') as Kratos' patch handler denies them. */
export const IDENTITY_DENIED_PATHS: readonly RegExp[] = [/^\/id$/, /^\/statechangedat$/, /^\/credentials$/, /^\/credentials\/oidc\/.*$/];
