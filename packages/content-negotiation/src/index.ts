export { negotiateContentType, parseAccept } from "./negotiate";
export { acceptsJson, ACCEPTS_JSON_OFFERS, isJsonRequest, IS_JSON_REQUEST_OFFERS } from "./kratos-request";
