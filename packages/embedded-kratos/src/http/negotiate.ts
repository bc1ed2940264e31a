/**
 * Kratos' content negotiation (golang/gddo's NegotiateContentType, Go's
 * mime.ParseMediaType, x.IsJSONRequest's offers) lives in
 * @olympus/content-negotiation, which Hera's edge shares so that both decide
 * "browser or API client" exactly as the real Kratos does.
 */
export { ACCEPTS_JSON_OFFERS, IS_JSON_REQUEST_OFFERS, negotiateContentType, parseMediaType } from "@olympus/content-negotiation";
