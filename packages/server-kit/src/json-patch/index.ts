export { JsonPatchError, parsePatchValue, type PatchOperation } from "./json-patch";
export { decodeRawPatch, type DecodeRawPatchOptions } from "./decode-raw-patch";
export { applyRawPatch, MAX_PADDING, type RawPatchOperation } from "./lazy-json-patch";
