export { isStorableJson, isStorableQuery, isStorableText, MAX_STORABLE_DEPTH, unstorableReason } from "./storable";
export { compileGlob } from "./gobwas-glob";
