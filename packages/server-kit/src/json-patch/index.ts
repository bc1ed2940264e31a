export { applyJsonPatch, JsonPatchError, parsePatch, type PatchJson, type PatchOperation } from "./json-patch";
