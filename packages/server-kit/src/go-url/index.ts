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
export {
  goEscapedPath,
  goParseRequestUriBytes,
  goParseUrlBytes,
  goUrlParse,
  goUrlParseRequestUri,
  type GoUrl,
  type GoUrlParsed,
  type GoUserinfo,
} from "./parse";
export { goUrlHostname, goUrlPort } from "./host-port";
export { goTrimLeftSpace, goTrimSpace } from "./unicode-space";
export { goUrlSetQuery, goUrlString, goUrlStringBytes } from "./url-string";
export {
  GO_MAX_FORM_BYTES,
  goMultipartForm,
  goParseForm,
  goParseMediaType,
  goReadsFormBody,
  type GoMediaType,
  type GoParsedForm,
} from "./form";
export {
  GO_DEFAULT_MAX_MEMORY,
  GO_MULTIPART_MAX_HEADERS,
  GO_MULTIPART_MAX_PARTS,
  goMultipartFormValues,
  goReadMultipartForm,
  type GoMultipartFormResult,
} from "./multipart";
