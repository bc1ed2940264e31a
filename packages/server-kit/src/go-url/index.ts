export {
  goBytes,
  goEscape,
  goPathEscape,
  goPathUnescape,
  goQueryEscape,
  goQueryUnescape,
  utf8Text,
  type GoEncoding,
  type GoUnescaped,
} from "./escape";
export {
  goEncodeParams,
  goParseQuery,
  goQueryParams,
  goValuesEncode,
  goValuesFirstNonEmpty,
  goValuesGet,
  type GoParsedQuery,
  type GoValues,
} from "./query";
export { goParseUrlBytes, goUrlParse, type GoUrl, type GoUrlParsed, type GoUserinfo } from "./parse";
export { goUrlSetQuery, goUrlString } from "./url-string";
