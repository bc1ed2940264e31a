import { goParseMediaType, goTrimSpace } from "@olympus/server-kit/go-url";

/**
 * Kratos' content negotiation (golang/gddo's NegotiateContentType,
 * x.IsJSONRequest's offers) lives in @olympus/content-negotiation, which
 * Hera's edge shares so that both decide "browser or API client" exactly
 * as the real Kratos does.
 */
export { ACCEPTS_JSON_OFFERS, IS_JSON_REQUEST_OFFERS, negotiateContentType } from "@olympus/content-negotiation";

/**
 * A Content-Type as oryx httpx.HasContentType reads it (decoderx picks
 * its decoder so; golang.org/x/oauth2 and go-oidc read a provider's
 * answer the same way): Go's mime.ParseMediaType of the trimmed value
 * (server-kit goParseMediaType), the lower-cased media type, or undefined
 * on any error, a bad parameter included.
 */
export function parseMediaType(contentType: string): string | undefined {
  const parsed = goParseMediaType(goTrimSpace(contentType));
  return parsed.error === undefined ? parsed.mediaType : undefined;
}
