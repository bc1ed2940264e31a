export {
  goBytes,
  goEscape,
  goPathEscape,
  goPathUnescape,
  goQueryEscape,
  goQueryUnescape,
  goUnescape,
  shouldEscape,
  utf8Text,
  type GoEncoding,
  type GoUnescaped,
} from "./escape";
export {
  GO_MAX_QUERY_PARAMS,
  goEncodeParams,
  goParseQuery,
  goQueryParams,
  goValuesEncode,
  goValuesGet,
  goValuesOf,
  type GoParsedQuery,
  type GoValues,
} from "./query";
export { goEscapedFragment, goEscapedPath, goParseUrlBytes, goUrlParse, type GoUrl, type GoUrlParsed, type GoUserinfo } from "./parse";
export { goUrlSetQuery, goUrlString, goUrlStringBytes, goUrlStringWithRawQuery } from "./url-string";
