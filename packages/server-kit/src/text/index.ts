export { isStorableJson, isStorableQuery, isStorableText, MAX_STORABLE_DEPTH, unstorableReason } from "./storable";
