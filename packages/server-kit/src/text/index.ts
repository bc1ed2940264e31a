export { isStorableJson, isStorableQuery, isStorableText, MAX_STORABLE_DEPTH, unstorableReason } from "./storable";
export { compileGlob, gobwasGlobError } from "./gobwas-glob";
export { goTrimSpace } from "./go-trim-space";
export { goJoseBase64UrlDecode, goStdBase64Decode, type GoBase64Result } from "./go-base64";
export { goToLower } from "./go-to-lower";
export { goTrim, goTrimLeft, goTrimRight } from "./go-trim-cutset";
