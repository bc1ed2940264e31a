export {
  HydraAdminClient,
  type ChallengeResult,
  type OAuth2ConsentRequest,
  type OAuth2LoginRequest,
  type OAuth2LogoutRequest,
  type RejectOAuth2Request,
} from "./client";
export { idTokenClaims, type ClaimSource, type IdTokenClaims } from "./claims";
export { OryError, isOryError, type OryErrorKind, type OryService } from "../ory/errors";
