export { applyJsonPatch, JsonPatchError, parsePatch, parsePatchValue, type PatchJson, type PatchOperation } from "./json-patch";
