export { decodeGoJson, decodeGoJsonValue, unmarshalAs } from "./decode";
export {
  GoJsonError,
  GoUnmarshalTypeError,
  type GoDecodeOptions,
  type GoEmbedded,
  type GoJson,
  type GoKeptText,
  type GoType,
} from "./types";
export { goParseUuid, parseUuid, uuidParseError, type GoUuidResult } from "./uuid";
export { scanGoJson, GoSyntaxError, type GoReader } from "./scanner";
export { decoderNeedsMore } from "./decoder-read";
export { readGoNode, rawNodeValue, rawNodeText, MAX_NODE_DEPTH, GoValueTooDeepError, type GoNode, type RawJsonNumber } from "./value";
export { goRfc3339Error, goTimeJson, goTimeQuote, ACCEPTED_RFC3339 } from "./time";
export { goEscapeStringified, goCompactRawText, goJsonMarshal, goJsonEncode } from "./encode-output";
export { FirstValueEnd } from "./first-value-end";
